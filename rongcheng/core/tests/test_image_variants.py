"""WebP variants of stored pictures: their sizes, where they are written, that they leave with
the picture, and that pages list them only once they exist."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from rongcheng.catalog.services import brand_save
from rongcheng.catalog.tests.factories import BrandFactory
from rongcheng.cms.models import Ad, AdSlot
from rongcheng.cms.services import ad_save
from rongcheng.core import image_variants
from rongcheng.core.testing.media import picture

pytestmark = pytest.mark.django_db


def _files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _sizes(root, names: list[str]) -> dict[str, tuple[int, int]]:
    sizes = {}
    for name in names:
        with Image.open(root / name) as variant:
            assert variant.format == "WEBP"
            sizes[name] = variant.size
    return sizes


def test_a_banner_gets_each_width_at_its_own_proportions(media_root):
    name = default_storage.save("cms/ads/winter.jpg", ContentFile(picture("JPEG", (1600, 800))))
    written = image_variants.write(name, "banner")
    assert _sizes(media_root, written) == {
        "cms/ads/winter.480w.webp": (480, 240),
        "cms/ads/winter.640w.webp": (640, 320),
        "cms/ads/winter.960w.webp": (960, 480),
        "cms/ads/winter.1200w.webp": (1200, 600),
    }


def test_a_thumbnail_is_cut_square_from_the_picture_it_is_drawn_from(media_root):
    thumb = default_storage.save("catalog/products/RC1/thumbs/a.jpg", ContentFile(picture()))
    written = image_variants.write(thumb, "thumbnail", source=picture("JPEG", (1000, 800)))
    assert _sizes(media_root, written) == {
        "catalog/products/RC1/thumbs/a.120w.webp": (120, 120),
        "catalog/products/RC1/thumbs/a.240w.webp": (240, 240),
        "catalog/products/RC1/thumbs/a.360w.webp": (360, 360),
        "catalog/products/RC1/thumbs/a.480w.webp": (480, 480),
    }


def test_a_logo_keeps_its_transparency(media_root):
    out = BytesIO()
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(out, "PNG")
    name = default_storage.save("catalog/brands/mark.png", ContentFile(out.getvalue()))
    image_variants.write(name, "logo")
    with Image.open(media_root / "catalog/brands/mark.96w.webp") as variant:
        assert (variant.mode, variant.size, variant.getpixel((0, 0))) == (
            "RGBA",
            (96, 96),
            (0, 0, 0, 0),
        )


def test_pages_list_the_variants_only_once_they_exist(media_root):
    name = default_storage.save("cms/ads/spring.jpg", ContentFile(picture("JPEG", (1200, 400))))
    url = default_storage.url(name)
    assert image_variants.srcset(url, "banner") == ""
    image_variants.write(name, "banner")
    assert image_variants.srcset(url, "banner") == (
        "/media/cms/ads/spring.480w.webp 480w, /media/cms/ads/spring.640w.webp 640w, "
        "/media/cms/ads/spring.960w.webp 960w, /media/cms/ads/spring.1200w.webp 1200w"
    )
    # Pictures from elsewhere have no variants here.
    assert image_variants.srcset("https://example.com/spring.jpg", "banner") == ""
    assert image_variants.srcset("", "banner") == ""


def test_variants_leave_storage_with_their_picture_and_no_other(
    media_root, django_capture_on_commit_callbacks
):
    logo = default_storage.save("catalog/brands/north.png", ContentFile(picture("PNG")))
    other = default_storage.save("catalog/brands/north-2.png", ContentFile(picture("PNG")))
    brand = BrandFactory(logo=logo)
    image_variants.write(logo, "logo")
    image_variants.write(other, "logo")
    with django_capture_on_commit_callbacks(execute=True):
        brand.delete()
    assert _files(media_root) == [
        "catalog/brands/north-2.144w.webp",
        "catalog/brands/north-2.192w.webp",
        "catalog/brands/north-2.96w.webp",
        "catalog/brands/north-2.png",
    ]
    assert image_variants.srcset(default_storage.url(logo), "logo") == ""


def test_saving_a_brand_writes_its_logo_variants_after_the_commit(
    media_root, django_capture_on_commit_callbacks
):
    logo = default_storage.save("catalog/brands/cloud.png", ContentFile(picture("PNG")))
    brand = BrandFactory.build(logo=logo)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        brand_save(brand=brand)
    assert _files(media_root) == ["catalog/brands/cloud.png"]
    for callback in callbacks:
        callback()
    assert _files(media_root) == [
        "catalog/brands/cloud.144w.webp",
        "catalog/brands/cloud.192w.webp",
        "catalog/brands/cloud.96w.webp",
        "catalog/brands/cloud.png",
    ]


def test_saving_an_ad_writes_the_variants_of_both_pictures_after_the_commit(
    media_root, django_capture_on_commit_callbacks
):
    slot = AdSlot.objects.create(code="home-banner", name="首页轮播")
    chinese = default_storage.save("cms/ads/a.jpg", ContentFile(picture("JPEG", (1200, 400))))
    english = default_storage.save("cms/ads/a-en.jpg", ContentFile(picture("JPEG", (1200, 400))))
    with django_capture_on_commit_callbacks(execute=True):
        ad_save(
            ad=Ad(
                slot=slot,
                title="冬季羊绒季",
                image=chinese,
                image_en=english,
                starts_at=datetime(2026, 12, 1, tzinfo=UTC),
                ends_at=datetime(2027, 1, 1, tzinfo=UTC),
            )
        )
    assert _files(media_root) == sorted(
        [chinese, english]
        + [f"cms/ads/a.{width}w.webp" for width in (480, 640, 960, 1200)]
        + [f"cms/ads/a-en.{width}w.webp" for width in (480, 640, 960, 1200)]
    )


def test_the_command_writes_what_stored_pictures_lack_and_nothing_twice(media_root, capsys):
    BrandFactory(logo=default_storage.save("catalog/brands/a.png", ContentFile(picture("PNG"))))
    BrandFactory(logo="catalog/brands/gone.png")  # its file was lost: nothing to draw from
    call_command("image_variants")
    assert "catalog.Brand.logo: 1 written, 1 without a source" in capsys.readouterr().out
    first = (media_root / "catalog/brands/a.96w.webp").stat().st_mtime_ns
    call_command("image_variants")
    assert "catalog.Brand.logo: 0 written, 1 without a source" in capsys.readouterr().out
    assert (media_root / "catalog/brands/a.96w.webp").stat().st_mtime_ns == first


def test_a_picture_that_cannot_be_read_keeps_the_saved_row_and_shows_as_itself(
    media_root, django_capture_on_commit_callbacks, caplog
):
    logo = default_storage.save("catalog/brands/broken.png", ContentFile(b"GIF89a"))
    with django_capture_on_commit_callbacks(execute=True):
        brand = brand_save(brand=BrandFactory.build(logo=logo))
    assert brand.pk is not None
    assert _files(media_root) == ["catalog/brands/broken.png"]
    assert "could not write the variants of catalog/brands/broken.png" in caplog.text
