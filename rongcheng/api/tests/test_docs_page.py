"""/api/docs works without internet access: Swagger UI comes from the platform's static files."""

import re

import pytest

pytestmark = pytest.mark.django_db

ASSET_RE = re.compile(r'(?:src|href)="([^"]+)"')


def test_docs_page_loads_only_local_assets_and_each_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assets = ASSET_RE.findall(response.content.decode())
    assert sorted(assets) == [
        "/static/ninja/favicon.png",
        "/static/ninja/favicon.svg",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
        "/static/ninja/swagger-ui.css",
    ]
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content if served.streaming else [served.content])
