"""Stored files as the embedded setup serves them (nginx does the same in production): byte
ranges, which Safari and iOS need before they play a video, and a cache lifetime."""

import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils._os import safe_join
from django.views.static import serve

from rongcheng.core.uploads import media_headers

# Uploads are not rewritten in place often; a month keeps repeat visits off the server.
MEDIA_MAX_AGE = 30 * 24 * 3600
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024
PRIVATE_PREFIXES = ("callcenter/recordings/",)


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte asked for by a single-range header, clipped to the file, or
    None when nothing of the file is asked for. Raises ValueError for a header this server
    answers with the whole file (malformed, or several ranges)."""
    found = RANGE.match(header.strip())
    if found is None or not (found[1] or found[2]):
        raise ValueError(header)
    if not found[1]:  # the last N bytes
        length = int(found[2])
        return (max(0, size - length), size - 1) if length and size else None
    first = int(found[1])
    last = min(int(found[2]), size - 1) if found[2] else size - 1
    if found[2] and int(found[2]) < first:
        raise ValueError(header)
    return (first, last) if first < size else None


def _chunks(path: Path, first: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as stored:
        stored.seek(first)
        while length > 0:
            chunk = stored.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def _part(request: HttpRequest, path: str) -> HttpResponseBase | None:
    """The answer to a Range request, or None when the whole file is the answer."""
    header = request.headers.get("Range", "")
    if not header or "If-Range" in request.headers:
        return None
    full = Path(safe_join(settings.MEDIA_ROOT, path))
    if not full.is_file():
        raise Http404
    size = full.stat().st_size
    try:
        wanted = requested_range(header, size)
    except ValueError:
        return None
    if wanted is None:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    first, last = wanted
    part = StreamingHttpResponse(_chunks(full, first, last - first + 1), status=206)
    part["Content-Length"] = str(last - first + 1)
    part["Content-Range"] = f"bytes {first}-{last}/{size}"
    return part


def stored_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """A stored file, whole (200), in part (206) or refused as out of range (416)."""
    return _part(request, path) or serve(request, path, document_root=str(settings.MEDIA_ROOT))


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A public upload. Private files are served only by their own views, after an access
    check (call recordings: rongcheng/callcenter/recordings.py)."""
    if path.startswith(PRIVATE_PREFIXES):
        raise Http404
    response = stored_file(request, path)
    if response.status_code != 416:
        for name, value in media_headers(path).items():
            response[name] = value
        response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    response["Accept-Ranges"] = "bytes"
    return response
