import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from rongcheng.catalog.models import Sku
from rongcheng.catalog.selectors.detail import product_detail
from rongcheng.core.dates import local_day
from rongcheng.core.testing.clock import AROUND_MIDNIGHT, next_midnight
from rongcheng.seo import jsonld
from rongcheng.seo.slugs import slugify_zh
from rongcheng.seo.tests.conftest import SITE_URL
from rongcheng.stores.models import Store


def scripts(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


def test_script_escapes_what_could_close_the_element():
    html = str(jsonld.script({"name": "</script><b>羊绒 & 真丝</b>"}))
    assert html == (
        '<script type="application/ld+json">'
        '{"name": "\\u003C/script\\u003E\\u003Cb\\u003E羊绒 \\u0026 真丝\\u003C/b\\u003E"}'
        "</script>"
    )
    assert json.loads(html.removeprefix('<script type="application/ld+json">')[:-9]) == {
        "name": "</script><b>羊绒 & 真丝</b>"
    }


def test_organization_comes_from_the_business_licence():
    assert jsonld.organization("https://shop.example.com/") == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "鄂尔多斯市绒城购电子商务有限公司",
        "legalName": "鄂尔多斯市绒城购电子商务有限公司",
        "url": "https://shop.example.com/",
        "taxID": "91150602MA0RC00001",
        "telephone": "400-800-1688",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "内蒙古自治区鄂尔多斯市东胜区鄂尔多斯西街1号",
            "addressCountry": "CN",
        },
    }


def test_breadcrumbs_number_their_items_from_one():
    assert jsonld.breadcrumbs([("首页", "https://s/"), ("羊绒衫", "https://s/c/1/")]) == {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "首页", "item": "https://s/"},
            {"@type": "ListItem", "position": 2, "name": "羊绒衫", "item": "https://s/c/1/"},
        ],
    }


PRODUCT = {
    "name": "经典圆领羊绒衫",
    "url": "https://s/p/1/",
    "description": "100% 山羊绒",
    "images": ["https://s/m/1.jpg"],
    "brand": "鄂尔多斯",
    "sku": "T00001",
    "in_stock": True,
}


def test_a_product_with_one_price_has_an_offer_and_no_rating_without_reviews():
    data = jsonld.product(**PRODUCT, prices=[Decimal("1280"), Decimal("1280.00")], rating=(0, 0))
    assert data["offers"] == {
        "@type": "Offer",
        "price": "1280.00",
        "priceCurrency": "CNY",
        "availability": "https://schema.org/InStock",
        "url": "https://s/p/1/",
    }
    assert "aggregateRating" not in data
    assert data["brand"] == {"@type": "Brand", "name": "鄂尔多斯"}


def test_a_product_with_several_prices_has_an_aggregate_offer_and_its_rating():
    data = jsonld.product(
        **PRODUCT | {"in_stock": False},
        prices=[Decimal("1580.00"), Decimal("1280.00")],
        rating=(Decimal("4.65"), 12),
    )
    assert data["offers"] == {
        "@type": "AggregateOffer",
        "lowPrice": "1280.00",
        "highPrice": "1580.00",
        "offerCount": 2,
        "priceCurrency": "CNY",
        "availability": "https://schema.org/OutOfStock",
    }
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.7",
        "reviewCount": 12,
        "bestRating": "5",
        "worstRating": "1",
    }


@pytest.mark.parametrize(
    ("text", "hours"),
    [("10:00-22:00", ("10:00", "22:00")), ("9:30 至 21:00", ("09:30", "21:00")), ("全天", None)],
)
def test_opening_hours(text, hours):
    spec = jsonld.opening_hours(text)
    if hours is None:
        assert spec == []
    else:
        assert [(spec[0]["opens"], spec[0]["closes"])] == [hours]
        assert len(spec[0]["dayOfWeek"]) == 7


@pytest.mark.django_db
@pytest.mark.parametrize(("offset", "days_after"), AROUND_MIDNIGHT)
def test_a_special_price_is_valid_until_its_last_day_in_shanghai(
    client, shop, public_site, offset, days_after
):
    crew = shop["crew"]
    midnight = next_midnight()
    Sku.objects.filter(product=crew).update(
        special_price=Decimal("999.00"),
        special_starts_at=midnight - timedelta(days=1),
        special_ends_at=midnight + offset,
    )
    with time_machine.travel(midnight - timedelta(hours=2), tick=False):  # while it runs
        page = client.get(f"/product/{crew.id}/").content.decode()
    _organization, product, _crumbs = scripts(page)
    last_day = local_day(midnight) + timedelta(days=days_after - 1)
    assert product["offers"]["priceValidUntil"] == last_day.isoformat()


@pytest.mark.django_db
def test_the_product_page_carries_product_and_breadcrumbs(client, shop, public_site):
    crew = shop["crew"]
    now = timezone.now()
    Sku.objects.filter(product=crew).update(
        special_price=Decimal("999.00"),
        special_starts_at=now - timedelta(days=1),
        special_ends_at=now + timedelta(days=3),
    )
    path = f"/product/{crew.id}/"
    organization, product, crumbs = scripts(client.get(path).content.decode())
    assert organization["@type"] == "Organization"
    assert product["offers"]["price"] == "999.00"
    assert product["offers"]["priceValidUntil"] == (local_day(now + timedelta(days=3)).isoformat())
    assert product["url"] == f"{SITE_URL}{path}"
    assert product["sku"] == crew.style_code
    assert [item["name"] for item in crumbs["itemListElement"]] == ["首页", "羊绒衫", crew.name]
    assert crumbs["itemListElement"][1]["item"] == (
        f"{SITE_URL}/category/{shop['category'].id}-{slugify_zh('羊绒衫')}/"
    )
    detail = product_detail(product_id=crew.id)
    assert [sku.price.amount for sku in detail.skus] == [Decimal("999.00")]


@pytest.mark.django_db
def test_the_store_page_carries_a_local_business(client, shop):
    """In the page's language: the English page names the store, street and city in English
    (the city by its pinyin when no English name is written)."""
    store = shop["store"]
    Store.objects.filter(pk=store.pk).update(
        name_en="Dongsheng Store", address_en="1 Ordos West Street"
    )
    _organization, data = scripts(client.get(f"/en/store/{store.id}/").content.decode())
    assert data == {
        "@context": "https://schema.org",
        "@type": "ClothingStore",
        "name": "Dongsheng Store",
        "url": f"http://testserver/en/store/{store.id}/",
        "telephone": "0477-8500000",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1 Ordos West Street",
            "addressLocality": "Eerduosi",
            "addressCountry": "CN",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": "39.608266", "longitude": "109.781327"},
        "parentOrganization": {"@type": "Organization", "name": "鄂尔多斯市绒城购电子商务有限公司"},
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": jsonld.EVERY_DAY,
                "opens": "10:00",
                "closes": "22:00",
            }
        ],
    }
