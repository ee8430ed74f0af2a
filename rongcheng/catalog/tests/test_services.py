"""Product pictures: thumbnails and the WebP variants are written after the commit, so a
rollback leaves storage exactly as the database says."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from rongcheng.catalog.models import ProductImage
from rongcheng.catalog.services import product_image_thumbnail_refresh
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.media import picture

pytestmark = pytest.mark.django_db


class Abort(Exception):
    pass


def _files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _with_variants(picture_name: str, thumbnail_name: str) -> list[str]:
    """The picture and the thumbnail with the variants pages choose from."""
    picture_stem = picture_name.rpartition(".")[0]
    thumbnail_stem = thumbnail_name.rpartition(".")[0]
    return sorted(
        [picture_name, thumbnail_name]
        + [f"{picture_stem}.{width}w.webp" for width in (320, 640, 800)]
        + [f"{thumbnail_stem}.{width}w.webp" for width in (120, 240, 360, 480)]
    )


@pytest.fixture
def image(media_root):
    product = make_product(style_code="RC1")
    name = default_storage.save("catalog/products/RC1/front.png", ContentFile(picture("PNG")))
    return ProductImage.objects.create(product=product, image=name)


def test_the_thumbnail_is_written_after_the_commit(
    image, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        product_image_thumbnail_refresh(image=image)
        assert _files(media_root) == ["catalog/products/RC1/front.png"]
    stored = ProductImage.objects.get(pk=image.pk)
    assert stored.thumbnail.name == "catalog/products/RC1/thumbs/front.jpg"
    assert image.thumbnail.name == stored.thumbnail.name
    # The row records the variants pages may list.
    assert (stored.image_widths, stored.thumbnail_widths) == ("320 640 800", "120 240 360 480")
    assert (image.image_widths, image.thumbnail_widths) == ("320 640 800", "120 240 360 480")
    with Image.open(stored.thumbnail.path) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (240, 240))
    assert _files(media_root) == _with_variants(
        "catalog/products/RC1/front.png", "catalog/products/RC1/thumbs/front.jpg"
    )
    # Variants are never enlarged: the 40 × 30 picture stays 40 × 30, its thumbnail 30 × 30.
    with Image.open(media_root / "catalog/products/RC1/front.800w.webp") as variant:
        assert (variant.format, variant.size) == ("WEBP", (40, 30))
    with Image.open(media_root / "catalog/products/RC1/thumbs/front.480w.webp") as variant:
        assert (variant.format, variant.size) == ("WEBP", (30, 30))


def test_a_rolled_back_save_leaves_no_orphan_and_no_missing_file(
    image, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product_image_thumbnail_refresh(image=image)
    back = default_storage.save("catalog/products/RC1/back.png", ContentFile(picture("PNG")))
    # The back office gives the row another picture and asks for its thumbnail; then something
    # later in the same save fails.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        ProductImage.objects.filter(pk=image.pk).update(image=back)
        image.image.name = back
        product_image_thumbnail_refresh(image=image)
        raise Abort
    assert callbacks == []
    stored = ProductImage.objects.get(pk=image.pk)
    assert (
        stored.image.name,
        stored.image_widths,
        stored.thumbnail.name,
        stored.thumbnail_widths,
    ) == (
        "catalog/products/RC1/front.png",
        "320 640 800",
        "catalog/products/RC1/thumbs/front.jpg",
        "120 240 360 480",
    )
    assert _files(media_root) == sorted(
        [
            "catalog/products/RC1/back.png",
            *_with_variants(
                "catalog/products/RC1/front.png", "catalog/products/RC1/thumbs/front.jpg"
            ),
        ]
    )


def test_a_new_thumbnail_replaces_the_old_file(
    image, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product_image_thumbnail_refresh(image=image)
    first = ProductImage.objects.get(pk=image.pk).thumbnail.name
    with django_capture_on_commit_callbacks(execute=True):
        product_image_thumbnail_refresh(image=image)
    second = ProductImage.objects.get(pk=image.pk).thumbnail.name
    assert second != first
    # The old thumbnail's variants left with it.
    assert _files(media_root) == _with_variants("catalog/products/RC1/front.png", second)


def test_a_picture_changed_before_the_thumbnail_is_written_keeps_no_stray_file(
    image, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product_image_thumbnail_refresh(image=image)
        # Another save gives the row another picture before this commit's work runs.
        ProductImage.objects.filter(pk=image.pk).update(image="catalog/products/RC1/back.png")
    assert ProductImage.objects.get(pk=image.pk).thumbnail.name == ""
    assert _files(media_root) == ["catalog/products/RC1/front.png"]


def test_a_new_picture_shows_as_itself_until_its_variants_are_written(
    image, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product_image_thumbnail_refresh(image=image)
    back = default_storage.save("catalog/products/RC1/back.png", ContentFile(picture("PNG")))
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        ProductImage.objects.filter(pk=image.pk).update(image=back)
        image.image.name = back
        product_image_thumbnail_refresh(image=image)
    # The front's variants are not the back's; the old thumbnail keeps its own until replaced.
    stored = ProductImage.objects.get(pk=image.pk)
    assert (stored.image_widths, stored.thumbnail_widths) == ("", "120 240 360 480")
    for callback in callbacks:
        callback()
    stored = ProductImage.objects.get(pk=image.pk)
    assert (stored.image.name, stored.image_widths, stored.thumbnail_widths) == (
        back,
        "320 640 800",
        "120 240 360 480",
    )
