from rongcheng.core.media_storage import MediaBucketStorage


def storage() -> MediaBucketStorage:
    return MediaBucketStorage(
        bucket_name="rongcheng-media",
        object_parameters={"CacheControl": "public, max-age=604800"},
        access_key="test",
        secret_key="test",
    )


def test_pictures_and_videos_are_stored_as_themselves():
    assert storage().get_object_parameters("catalog/1/a.JPG") == {
        "CacheControl": "public, max-age=604800",
        "ContentType": "image/jpeg",
    }
    assert storage().get_object_parameters("home/video.webm")["ContentType"] == "video/webm"


def test_anything_else_is_stored_as_a_download():
    assert storage().get_object_parameters("catalog/1/page.html") == {
        "CacheControl": "public, max-age=604800",
        "ContentType": "application/octet-stream",
        "ContentDisposition": "attachment",
    }
