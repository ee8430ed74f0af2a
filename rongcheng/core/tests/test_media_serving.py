"""The embedded media server answers byte ranges as Safari and iOS need for video."""

import pytest

from rongcheng.core.media_serving import MEDIA_MAX_AGE, requested_range

BODY = bytes(range(256)) * 4  # 1024 bytes


@pytest.fixture
def clip(media_root):
    (media_root / "clip.mp4").write_bytes(BODY)
    return "/media/clip.mp4"


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content)


def test_the_whole_file_says_ranges_are_accepted_and_may_be_cached(client, clip):
    answer = client.get(clip)
    assert answer.status_code == 200
    assert answer["Accept-Ranges"] == "bytes"
    assert answer["Cache-Control"] == f"public, max-age={MEDIA_MAX_AGE}"
    assert answer["Content-Type"] == "video/mp4"
    assert _body(answer) == BODY


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-1", 0, 1),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=1000-5000", 1000, 1023),
        ("bytes=0-1023", 0, 1023),
    ],
)
def test_a_range_is_answered_with_206_and_just_those_bytes(client, clip, header, first, last):
    answer = client.get(clip, HTTP_RANGE=header)
    assert answer.status_code == 206
    assert answer["Content-Range"] == f"bytes {first}-{last}/1024"
    assert answer["Content-Length"] == str(last - first + 1)
    assert answer["Content-Type"] == "video/mp4"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert _body(answer) == BODY[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_outside_the_file_is_answered_with_416(client, clip, header):
    answer = client.get(clip, HTTP_RANGE=header)
    assert answer.status_code == 416
    assert answer["Content-Range"] == "bytes */1024"
    assert answer.content == b""


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-1", "bytes=9-3", "bytes=-"])
def test_a_range_this_server_does_not_split_gets_the_whole_file(client, clip, header):
    answer = client.get(clip, HTTP_RANGE=header)
    assert answer.status_code == 200
    assert _body(answer) == BODY


@pytest.mark.django_db
def test_a_missing_file_is_404_and_a_path_out_of_media_400_with_or_without_a_range(
    client, media_root
):
    assert client.get("/media/none.mp4", HTTP_RANGE="bytes=0-1").status_code == 404
    assert client.get("/media/none.mp4").status_code == 404
    # A path out of the media folder is refused as Django's own file server refuses it.
    escape = "/media/../config/settings.py"
    assert client.get(escape, HTTP_RANGE="bytes=0-1").status_code == 400
    assert client.get(escape).status_code == 400


def test_requested_range_of_an_empty_file():
    assert requested_range("bytes=0-", 0) is None
    assert requested_range("bytes=-5", 0) is None
