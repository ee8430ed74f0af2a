"""A stored file's address, written without the storage's urljoin on local disk."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import override_settings

from rongcheng.core.media_urls import media_base, media_url

NAMES = [
    "catalog/products/RC-1/thumbs/1.jpg",
    "catalog/products/RC 2/冬季 羊绒.jpg",
    "cms/ads/50%#?&=.jpg",
    "/leading/slash.png",
    "a+b/(c)~!*'.webp",
]


@pytest.mark.parametrize("media", ["/media/", "https://img.example.cn/m/"])
def test_on_local_disk_the_address_is_the_storage_s(media, tmp_path):
    with override_settings(MEDIA_URL=media, MEDIA_ROOT=tmp_path):
        assert type(default_storage._wrapped) is FileSystemStorage  # type: ignore[attr-defined]
        for name in NAMES:
            assert media_url(name) == default_storage.url(name)
        assert media_base() == default_storage.url("")
    assert media_url("") == media_url(None) == ""


class SignedStorage(FileSystemStorage):
    """Another storage: its own addresses, which media_url must ask it for."""

    def url(self, name):
        return f"https://bucket.example.cn/{name}?signed=1"


def test_any_other_storage_is_asked(tmp_path):
    storages = {"default": {"BACKEND": f"{__name__}.SignedStorage"}}
    with override_settings(STORAGES=storages, MEDIA_ROOT=tmp_path):
        assert media_url("a/b.jpg") == "https://bucket.example.cn/a/b.jpg?signed=1"
        assert media_base() == "https://bucket.example.cn/?signed=1"
