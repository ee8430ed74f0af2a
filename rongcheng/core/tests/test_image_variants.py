"""WebP variants of stored pictures: their sizes, where they are written, that they leave with
the picture, and that rows record them only once all of them exist."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from rongcheng.catalog.models import Brand
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


def test_pages_list_the_variants_their_row_records():
    assert image_variants.srcset("/media/cms/ads/spring.jpg", "") == ""
    assert image_variants.srcset("/media/cms/ads/spring.jpg", "480 640 960 1200") == (
        "/media/cms/ads/spring.480w.webp 480w, /media/cms/ads/spring.640w.webp 640w, "
        "/media/cms/ads/spring.960w.webp 960w, /media/cms/ads/spring.1200w.webp 1200w"
    )


def test_what_a_row_records_follows_what_the_storage_holds(media_root):
    name = default_storage.save("cms/ads/spring.jpg", ContentFile(picture("JPEG", (1200, 400))))
    assert image_variants.found(name, "banner") == ""
    written = image_variants.write(name, "banner")
    assert image_variants.found(name, "banner") == "480 640 960 1200"
    default_storage.delete(written[-1])  # one lost: none is listed
    assert image_variants.found(name, "banner") == ""


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


def test_saving_a_brand_writes_its_logo_variants_after_the_commit(
    media_root, django_capture_on_commit_callbacks
):
    logo = default_storage.save("catalog/brands/cloud.png", ContentFile(picture("PNG")))
    brand = BrandFactory.build(logo=logo)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        brand_save(brand=brand)
    assert _files(media_root) == ["catalog/brands/cloud.png"]
    assert Brand.objects.get(pk=brand.pk).logo_widths == ""
    for callback in callbacks:
        callback()
    assert _files(media_root) == [
        "catalog/brands/cloud.144w.webp",
        "catalog/brands/cloud.192w.webp",
        "catalog/brands/cloud.96w.webp",
        "catalog/brands/cloud.png",
    ]
    assert Brand.objects.get(pk=brand.pk).logo_widths == "96 144 192"


def test_a_brand_given_another_logo_records_none_until_its_variants_are_written(
    media_root, django_capture_on_commit_callbacks
):
    first = default_storage.save("catalog/brands/a.png", ContentFile(picture("PNG")))
    with django_capture_on_commit_callbacks(execute=True):
        brand = brand_save(brand=BrandFactory.build(logo=first))
    brand.logo = default_storage.save("catalog/brands/b.png", ContentFile(picture("PNG")))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        brand_save(brand=brand)
    assert Brand.objects.get(pk=brand.pk).logo_widths == ""
    for callback in callbacks:
        callback()
    assert Brand.objects.get(pk=brand.pk).logo_widths == "96 144 192"
    # A logo whose variants exist already is recorded as it is saved.
    brand.logo = default_storage.save("catalog/brands/c.png", ContentFile(picture("PNG")))
    image_variants.write(brand.logo.name, "logo")
    with django_capture_on_commit_callbacks(execute=False):
        brand_save(brand=brand)
    assert Brand.objects.get(pk=brand.pk).logo_widths == "96 144 192"


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
    ad = Ad.objects.get()
    assert (ad.image_widths, ad.image_en_widths) == ("480 640 960 1200", "480 640 960 1200")
    assert (ad.image_widths_for("zh-hans"), ad.image_widths_for("en")) == (
        "480 640 960 1200",
        "480 640 960 1200",
    )


def test_the_command_writes_and_records_what_stored_pictures_lack_and_nothing_twice(
    media_root, capsys
):
    drawn = BrandFactory(
        logo=default_storage.save("catalog/brands/a.png", ContentFile(picture("PNG")))
    )
    gone = BrandFactory(logo="catalog/brands/gone.png", logo_widths="96 144 192")  # file lost
    call_command("image_variants")
    assert (
        "catalog.Brand.logo: 1 written, 2 recorded, 1 without a source" in capsys.readouterr().out
    )
    first = (media_root / "catalog/brands/a.96w.webp").stat().st_mtime_ns
    drawn.refresh_from_db()
    gone.refresh_from_db()
    assert (drawn.logo_widths, gone.logo_widths) == ("96 144 192", "")
    call_command("image_variants")
    assert (
        "catalog.Brand.logo: 0 written, 0 recorded, 1 without a source" in capsys.readouterr().out
    )
    assert (media_root / "catalog/brands/a.96w.webp").stat().st_mtime_ns == first


def test_a_picture_that_cannot_be_read_keeps_the_saved_row_and_shows_as_itself(
    media_root, django_capture_on_commit_callbacks, caplog
):
    logo = default_storage.save("catalog/brands/broken.png", ContentFile(b"GIF89a"))
    with django_capture_on_commit_callbacks(execute=True):
        brand = brand_save(brand=BrandFactory.build(logo=logo))
    assert brand.pk is not None
    assert _files(media_root) == ["catalog/brands/broken.png"]
    assert Brand.objects.get(pk=brand.pk).logo_widths == ""
    assert "could not write the variants of catalog/brands/broken.png" in caplog.text
