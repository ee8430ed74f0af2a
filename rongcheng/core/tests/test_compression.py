"""Pages go out gzipped to browsers that take gzip; API JSON, pictures, video and parts do not."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_for_browsers_that_accept_it(client, regions):
    plain = client.get("/terms/")
    packed = client.get("/terms/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content


def test_media_and_byte_ranges_are_sent_as_stored(client, media_root):
    body = b"\x00\x00\x00\x18ftypmp42" + bytes(2000)
    (media_root / "clip.mp4").write_bytes(body)
    whole = client.get("/media/clip.mp4", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in whole
    assert b"".join(whole.streaming_content) == body
    part = client.get("/media/clip.mp4", HTTP_ACCEPT_ENCODING="gzip", HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and "Content-Encoding" not in part
    assert b"".join(part.streaming_content) == body[:100]


def test_api_answers_are_sent_as_they_are(client, regions):
    answer = client.get("/api/regions/provinces", HTTP_ACCEPT_ENCODING="gzip")
    assert answer.status_code == 200
    assert "Content-Encoding" not in answer
    assert answer.json()
