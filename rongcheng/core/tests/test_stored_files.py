"""Uploads leave storage after the commit that stops using them, never before or on rollback."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from rongcheng.catalog.models import Brand, Product, ProductImage
from rongcheng.catalog.tests.factories import BrandFactory, make_product
from rongcheng.cms.models import HomeVideo
from rongcheng.core.testing.media import MP4_HEAD, picture

pytestmark = pytest.mark.django_db


class Abort(Exception):
    pass


def _stored(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def _files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_deleted_row_s_file_leaves_storage_after_the_commit(
    media_root, django_capture_on_commit_callbacks
):
    brand = BrandFactory(logo=_stored("catalog/brands/logo.png", picture("PNG")))
    with django_capture_on_commit_callbacks(execute=True):
        brand.delete()
        assert _files(media_root) == ["catalog/brands/logo.png"]  # not before the commit
    assert _files(media_root) == []


def test_a_rolled_back_delete_keeps_the_file(media_root, django_capture_on_commit_callbacks):
    brand = BrandFactory(logo=_stored("catalog/brands/logo.png", picture("PNG")))
    brand_id = brand.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        brand.delete()
        raise Abort
    assert callbacks == []
    assert Brand.objects.get(pk=brand_id).logo.name == "catalog/brands/logo.png"
    assert _files(media_root) == ["catalog/brands/logo.png"]


def test_a_replaced_file_leaves_storage_and_the_new_one_stays(
    media_root, django_capture_on_commit_callbacks
):
    brand = BrandFactory(logo=_stored("catalog/brands/old.png", picture("PNG")))
    with django_capture_on_commit_callbacks(execute=True):
        brand.logo.save("new.png", ContentFile(picture("PNG")))
    assert Brand.objects.get(pk=brand.pk).logo.name == "catalog/brands/new.png"
    assert _files(media_root) == ["catalog/brands/new.png"]


def test_a_save_that_keeps_the_file_deletes_nothing(media_root, django_capture_on_commit_callbacks):
    brand = BrandFactory(logo=_stored("catalog/brands/logo.png", picture("PNG")))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        brand.name = "新名字"
        brand.save()
    assert callbacks == []
    assert _files(media_root) == ["catalog/brands/logo.png"]


def test_cascaded_and_bulk_deletes_remove_their_files(
    media_root, django_capture_on_commit_callbacks
):
    product = make_product()
    for n in range(2):
        ProductImage.objects.create(
            product=product, image=_stored(f"catalog/products/p/{n}.jpg", picture()), position=n
        )
    other = make_product()
    ProductImage.objects.create(product=other, image=_stored("catalog/products/q/0.jpg", picture()))
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=product.pk).delete()
    assert _files(media_root) == ["catalog/products/q/0.jpg"]


def test_a_file_another_row_still_names_is_kept(media_root, django_capture_on_commit_callbacks):
    film = _stored("catalog/products/p/film.mp4", MP4_HEAD)
    still = _stored("catalog/products/p/film.jpg", picture())
    product = make_product(video=film, video_poster=still)
    HomeVideo.objects.create(title="片", kind="product", product=product, video=film, poster=still)
    with django_capture_on_commit_callbacks(execute=True):
        HomeVideo.objects.all().delete()
    assert _files(media_root) == ["catalog/products/p/film.jpg", "catalog/products/p/film.mp4"]
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert _files(media_root) == []
