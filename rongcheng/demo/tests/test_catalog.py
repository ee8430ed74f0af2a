"""The demo catalogue loads through the real services, looks complete and loads only once."""

import re

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count

from rongcheng.catalog.models import (
    AttributeOption,
    Brand,
    Category,
    Product,
    ProductImage,
    ProductParameter,
    Sku,
)
from rongcheng.catalog.selectors.cards import special_price_products
from rongcheng.catalog.selectors.detail import product_detail
from rongcheng.cms.models import Ad, HomeArea, HomeVideo, PromotionNotice
from rongcheng.cms.selectors import home_page
from rongcheng.core import image_variants
from rongcheng.demo.accounts import load_demo_users
from rongcheng.demo.catalog import load_demo_catalog
from rongcheng.demo.english import load_english, product_name
from rongcheng.fulfillment.selectors import active_fee_template
from rongcheng.inventory.models import Stock, StockMovement, StoreListing
from rongcheng.inventory.selectors import product_stock_by_city
from rongcheng.regions.models import Region
from rongcheng.stores.models import Store
from rongcheng.stores.selectors import stores_near

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u9fff]")


def _counts() -> dict[str, int]:
    models = [Product, Sku, ProductImage, Category, Brand, Store, StoreListing, Stock]
    models += [StockMovement, HomeArea, HomeVideo, Region]
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_catalogue_is_complete_and_loads_once(regions, settings, tmp_path):
    """Runs after the `regions` fixture, as it would after the regions data was loaded."""
    settings.MEDIA_ROOT = tmp_path
    load_demo_users()
    logins = load_demo_catalog()
    assert [login for _role, login, _password in logins] == [
        "13800000011",
        "13800000012",
        "13800000013",
    ]

    assert Product.objects.count() >= 200
    leaves_with_goods = Category.objects.filter(children=None).annotate(n=Count("products"))
    assert leaves_with_goods.filter(n__gt=0).count() >= 15
    assert Brand.objects.count() >= 12
    assert not Brand.objects.filter(name__contains="鄂尔多斯").exists()
    shops = Store.objects.exclude(kind=Store.Kind.FULFILLMENT)
    assert shops.count() >= 30
    assert shops.values("city").distinct().count() >= 8
    assert 1 <= Store.objects.filter(kind=Store.Kind.FULFILLMENT).count() <= 2
    assert Region.objects.get(code="150600").name == "鄂尔多斯市"
    assert Region.objects.get(code="440300").parent_id == "440000"

    # Every product has colour × size SKUs and pictures whose files exist.
    assert not Product.objects.annotate(n=Count("skus")).filter(n__lt=2).exists()
    assert not Product.objects.annotate(n=Count("images")).filter(n__lt=3).exists()
    image = ProductImage.objects.order_by("id").first()
    assert default_storage.exists(image.image.name)
    assert default_storage.exists(image.thumbnail.name)
    # …with the WebP variants pages send to phones, as are the brand logos and the banners.
    assert image_variants.complete(image.image.name, "picture")
    assert image_variants.complete(image.thumbnail.name, "thumbnail")
    assert image_variants.complete(Brand.objects.exclude(logo="").first().logo.name, "logo")
    assert image_variants.complete(Ad.objects.first().image_en.name, "banner")
    # …and recorded on their rows, where pages read them.
    assert not ProductImage.objects.filter(image_widths="").exists()
    assert not ProductImage.objects.filter(thumbnail_widths="").exists()
    assert not Brand.objects.exclude(logo="").filter(logo_widths="").exists()
    assert not Ad.objects.filter(image_widths="").exists()
    assert not Ad.objects.exclude(image_en="").filter(image_en_widths="").exists()
    with_video = Product.objects.exclude(video="")
    assert with_video.count() == 6
    assert default_storage.size(with_video.first().video.name) > 1000

    # The storefront reads find something everywhere.
    assert len(special_price_products(limit=50)) > 10
    page = home_page()
    assert [area.area.kind for area in page][:3] == ["banner", "notices", "hot_products"]
    assert all(area.products for area in page if area.area.kind == "category")
    assert len(page[0].ads) == 4
    busiest = Product.objects.order_by("-sales_count").first()
    assert product_detail(product_id=busiest.id).images
    assert product_stock_by_city(product_id=busiest.id)
    wangfujing = (39.9143, 116.4109)
    nearest = stores_near(latitude=wangfujing[0], longitude=wangfujing[1], limit=3)
    assert nearest[0].store.code == "bj-wfj"
    assert Stock.objects.count() == StockMovement.objects.count() > 10000
    # Courier fees: every SKU weighs what its kind of garment weighs; one active template.
    assert set(Sku.objects.values_list("weight_grams", flat=True)) >= {150, 450, 1600}
    fees = active_fee_template()
    assert fees is not None and fees.by_weight
    assert {rule.region_code for rule in fees.rules} == {None, "150000"}

    before = _counts()
    assert load_demo_catalog() == logins
    assert _counts() == before

    _assert_english_values()


def _assert_english_values() -> None:
    """Every customer-facing name gets an English value without a Chinese character; a
    second run changes nothing and keeps what an operator wrote."""
    assert load_english() > 1000
    english = [
        *Product.objects.values_list("name_en", "subtitle_en", "description_en"),
        *Category.objects.values_list("name_en"),
        *Sku.objects.values_list("colour_en"),
        *Brand.objects.values_list("name_latin", "slogan_en", "description_en"),
        *Store.objects.values_list("name_en", "address_en", "description_en"),
        *HomeArea.objects.values_list("title_en"),
        *ProductParameter.objects.values_list("name_en", "value_en"),
        *AttributeOption.objects.exclude(value__regex=r"^[0-9%]+$").values_list("value_en"),
        *PromotionNotice.objects.values_list("title_en", "body_en"),
    ]
    assert all(value and not HAN.search(value) for row in english for value in row)
    assert Region.objects.get(code="150600").name_en == "Ordos"
    Product.objects.filter(pk=Product.objects.order_by("id").first().pk).update(name_en="Mine")
    assert load_english() == 0
    assert Product.objects.order_by("id").first().name_en == "Mine"


def test_demo_product_names_in_english():
    assert product_name("女士轻薄羊绒开衫") == "Women's Lightweight Cashmere Cardigan"
    assert product_name("格纹羊绒毯") == "Plaid Cashmere Blanket"
    assert product_name("男士双排扣羊绒大衣") == "Men's Double-breasted Cashmere Coat"
    assert product_name("无缝儿童羊绒衫") == "Seamless Kids' Cashmere Sweater"
    assert product_name("手织羊绒衫") == ""  # not made of the demo's parts
