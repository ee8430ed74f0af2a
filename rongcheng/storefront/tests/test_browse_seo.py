"""The browsing pages for search engines and the page cache: head tags (SEO-1), structured data
(JSON-LD), anonymous copies from the page cache and what a price change does to them."""

import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rongcheng.catalog.models import ProductImage, Sku
from rongcheng.catalog.services import product_price_refresh
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.seo.page_cache import HEADER
from rongcheng.storefront.browse import category_url
from rongcheng.storefront.tests.browse_data import DAY, build_home, card_html, section

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
PICTURE = "catalog/products/rc/0.jpg"


@pytest.fixture
def sweater(mall):
    """The best seller of 羊绒衫 at ¥1280 in 驼色 and 黑色, sold by 康巴什旗舰店 with 3 驼色 in
    stock there, on a home page with every kind of area."""
    build_home(mall)
    product = make_product(
        name="经典圆领羊绒衫",
        subtitle="100% 山羊绒，柔软亲肤",
        category=mall.knit,
        brand=mall.erdos,
        colours=("驼色", "黑色"),
        price=Decimal("1280.00"),
        sales_count=500,
    )
    ProductImage.objects.create(
        product=product,
        image=PICTURE,
        thumbnail="catalog/products/rc/thumbs/0.jpg",
        colour="驼色",
        alt="驼色正面",
    )
    StoreListing.objects.create(store=mall.store_near, product=product, sales_count=100)
    Stock.objects.create(store=mall.store_near, sku=product.skus.get(colour="驼色"), on_hand=3)
    return product


def paths(mall, sweater) -> dict[str, str]:
    return {
        "home": reverse("storefront:home"),
        "categories": reverse("storefront:categories"),
        "category": category_url(mall.knit.id, mall.knit.name),
        "brands": reverse("storefront:brands"),
        "brand": reverse("storefront:brand", args=[mall.erdos.id]),
        "sale": reverse("storefront:sale"),
        "stores": reverse("storefront:stores"),
        "store": reverse("storefront:store", args=[mall.store_near.id]),
        "product": reverse("storefront:product", args=[sweater.id]),
    }


TITLES = {
    "home": "绒城购 · 鄂尔多斯羊绒 O2O 商城",
    "categories": "在售分类 · 绒城购",
    "category": "羊绒衫 · 女装 · 绒城购",
    "brands": "品牌馆 · 绒城购",
    "brand": "鄂尔多斯 ERDOS · 品牌馆 · 绒城购",
    "sale": "特卖场 · 绒城购",
    "stores": "鄂尔多斯市的门店 · 身边店 · 绒城购",
    "store": "康巴什旗舰店 · 身边店 · 绒城购",
    "product": "经典圆领羊绒衫 · 鄂尔多斯 · 绒城购",
}


def head_of(html: str) -> str:
    return html[: html.index("</head>")]


def scripts(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


def crumb(position: int, name: str, path: str) -> dict:
    return {"@type": "ListItem", "position": position, "name": name, "item": SITE + path}


@pytest.mark.parametrize("name", list(TITLES))
def test_every_browsing_page_names_itself_to_search_engines(
    client, sweater, mall, ordos_visitor, name
):
    path = paths(mall, sweater)[name]
    head = head_of(client.get(path).content.decode())
    title = re.search(r"<title>(.*?)</title>", head).group(1)
    assert title == TITLES[name]
    description = re.search(r'<meta name="description" content="([^"]+)">', head).group(1)
    assert description.startswith(("绒城购", "鄂尔多斯", "康巴什旗舰店", "100% 山羊绒"))
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', head) == [SITE + path]
    assert dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head)) == {
        "zh-hans": SITE + path,
        "en": f"{SITE}/en{path}",
        "x-default": SITE + path,
    }
    assert f'<meta property="og:title" content="{title}">' in head
    assert f'<meta property="og:description" content="{description}">' in head
    assert f'<meta property="og:url" content="{SITE}{path}">' in head
    assert scripts(head)[0]["@type"] == "Organization"  # the company, on every page


def test_the_product_page_shares_its_picture_and_describes_its_offer(
    client, sweater, mall, ordos_visitor
):
    path = reverse("storefront:product", args=[sweater.id])
    head = head_of(client.get(path).content.decode())
    assert '<meta property="og:type" content="product">' in head
    assert f'<meta property="og:image" content="{SITE}/media/{PICTURE}">' in head
    _organization, product, crumbs = scripts(head)
    assert product == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "经典圆领羊绒衫",
        "url": SITE + path,
        "sku": sweater.style_code,
        "brand": {"@type": "Brand", "name": "鄂尔多斯"},
        "description": "100% 山羊绒，柔软亲肤",
        "image": [f"{SITE}/media/{PICTURE}"],
        "offers": {
            "@type": "Offer",
            "price": "1280.00",
            "priceCurrency": "CNY",
            "availability": "https://schema.org/InStock",  # 驼色 in 鄂尔多斯
            "url": SITE + path,
        },
    }
    assert crumbs == {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            crumb(1, "首页", "/"),
            crumb(2, "女装", f"/category/{mall.women.id}-nv-zhuang/"),
            crumb(3, "羊绒衫", f"/category/{mall.knit.id}-yang-rong-shan/"),
            crumb(4, "经典圆领羊绒衫", path),
        ],
    }


def test_the_offer_follows_the_special_price_and_the_stock_of_the_visitors_city(client, sweater):
    """A visitor of 北京 (the default city), where no store holds it; 黑色 on special."""
    now = timezone.now()
    Sku.objects.filter(product=sweater, colour="黑色").update(
        special_price=Decimal("999.00"), special_starts_at=now - DAY, special_ends_at=now + DAY
    )
    html = client.get(reverse("storefront:product", args=[sweater.id])).content.decode()
    assert '<span class="out-of-stock">北京市暂无库存</span>' in html
    assert scripts(head_of(html))[1]["offers"] == {
        "@type": "AggregateOffer",
        "lowPrice": "999.00",
        "highPrice": "1280.00",
        "offerCount": 2,
        "priceCurrency": "CNY",
        "availability": "https://schema.org/OutOfStock",
    }


def test_the_category_page_carries_its_breadcrumbs(client, sweater, mall, ordos_visitor):
    path = category_url(mall.knit.id, mall.knit.name)
    _organization, crumbs = scripts(head_of(client.get(path + "?page=1").content.decode()))
    assert crumbs["itemListElement"] == [
        crumb(1, "首页", "/"),
        crumb(2, "女装", f"/category/{mall.women.id}-nv-zhuang/"),
        crumb(3, "羊绒衫", path),
    ]


def test_the_store_page_describes_the_shop(client, sweater, mall, ordos_visitor):
    path = reverse("storefront:store", args=[mall.store_near.id])
    _organization, shop = scripts(head_of(client.get(f"/en{path}?page=1").content.decode()))
    assert shop == {
        "@context": "https://schema.org",
        "@type": "ClothingStore",
        "name": "康巴什旗舰店",
        "url": f"{SITE}/en{path}",
        "telephone": "0477-8500000",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "康巴什旗舰店地址",
            "addressLocality": "Eerduosi",  # the English page: the pinyin of 鄂尔多斯市
            "addressCountry": "CN",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": "39.608000", "longitude": "109.781000"},
        "parentOrganization": {"@type": "Organization", "name": "鄂尔多斯市绒城购电子商务有限公司"},
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday",
                    "Sunday",
                ],
                "opens": "10:00",
                "closes": "22:00",
            }
        ],
    }


def test_product_links_stay_in_the_language_of_the_page(client, sweater, mall, ordos_visitor):
    category = category_url(mall.knit.id, mall.knit.name)
    english = card_html(client.get(f"/en{category}").content.decode(), "经典圆领羊绒衫")
    assert f'href="/en/product/{sweater.id}/"' in english
    chinese = card_html(client.get(category).content.decode(), "经典圆领羊绒衫")
    assert f'href="/product/{sweater.id}/"' in chinese


@pytest.mark.parametrize("name", list(TITLES))
def test_anonymous_visitors_get_every_browsing_page_from_the_page_cache(
    client, sweater, mall, ordos_visitor, name, django_assert_num_queries
):
    path = paths(mall, sweater)[name]
    first = client.get(path)
    assert first[HEADER] == "miss"
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    # No session, no database: the visitor's city and the generations come from the cache.
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second[HEADER] == "hit"
    assert second.content == first.content


def test_members_and_shared_positions_get_pages_of_their_own(client, sweater, mall, ordos_visitor):
    product = reverse("storefront:product", args=[sweater.id])
    near_me = "?lat=39.817&lng=109.977"  # at 东胜体验店
    for path in (product + near_me, reverse("storefront:stores") + near_me):
        assert client.get(path).get(HEADER) is None
        assert client.get(path).get(HEADER) is None
    client.force_login(UserFactory(real_name="王芳"))
    response = client.get(product)
    assert response.get(HEADER) is None
    assert "王芳" in response.content.decode()


def test_a_price_change_shows_on_the_next_request_of_every_page_that_shows_it(
    client, sweater, mall, ordos_visitor, django_capture_on_commit_callbacks
):
    product = reverse("storefront:product", args=[sweater.id])
    category = category_url(mall.knit.id, mall.knit.name)
    for path in (product, category, "/"):
        client.get(path)
        assert client.get(path)[HEADER] == "hit"

    # As the back office does: the SKUs' price, then the catalogue service.
    with django_capture_on_commit_callbacks(execute=True):
        Sku.objects.filter(product=sweater).update(price=Decimal("1180.00"))
        product_price_refresh(product_ids=[sweater.id])

    page = client.get(product)
    assert page[HEADER] == "miss"
    html = page.content.decode()
    price = section(html + "</section>", "data-price")
    assert '<span class="price"><small>¥</small>1180.00</span>' in price
    assert scripts(head_of(html))[1]["offers"]["price"] == "1180.00"

    page = client.get(category)
    assert page[HEADER] == "miss"
    html = page.content.decode()
    assert "<small>¥</small>1180.00" in card_html(html, "经典圆领羊绒衫")
    # The category's side blocks are shared by every visitor for a minute; the purge retired
    # them with the page, so its ranking shows the new price too.
    ranking = section(html, ">热销排行</h2>")
    entry = ranking[ranking.index("经典圆领羊绒衫") : ranking.index("</li>", ranking.index("经典"))]
    assert "<small>¥</small>1180.00" in entry

    page = client.get("/")
    assert page[HEADER] == "miss"
    hot = section(page.content.decode(), ">热销商品</h2>")
    assert "<small>¥</small>1180.00" in card_html(hot, "经典圆领羊绒衫")


def test_the_shop_with_its_catalogue_passes_the_report(sweater, settings, capsys):
    """Every page of the site over the browsing pages' catalogue (home areas, categories,
    brands, stores, lists of several pages): nothing to report."""
    settings.RONGCHENG = settings.RONGCHENG | {"CATALOG_PAGE_SIZE": 4}
    call_command("seo_report", "--strict")
    out = capsys.readouterr().out
    # 7 fixed pages, 21 products, 5 categories, 3 brands, 4 stores, in two languages.
    assert "Sitemap addresses: 82\n" in out
    assert "stopped at --max-pages" not in out
    assert out.endswith("SEO problems: 0\n")
