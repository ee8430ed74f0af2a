"""Sending JSON to the API from Django's test client."""

import json


def send(client, method: str, url: str, body: dict | None = None):
    """GET `url`, or send `body` (default: an empty object) as JSON with `method`."""
    if method == "get":
        return client.get(url)
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )
