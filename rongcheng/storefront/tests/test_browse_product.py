"""The product page (PDP-1, PDP-2): gallery, video, parameters, SKU picker with the price in
force and the stock of the visitor's city, and the nearest store that sells the product."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rongcheng.catalog.models import (
    Attribute,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    ProductType,
    Sku,
)
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.media import picture
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.regions.services import SESSION_KEY
from rongcheng.seo.purge import purge_products
from rongcheng.storefront.browse import category_url
from rongcheng.storefront.tests.browse_data import (
    DAY,
    names_in,
    section,
)

pytestmark = pytest.mark.django_db
# 14, and the answered questions with their answers (2)
PRODUCT_QUERIES = 16


@pytest.fixture
def sweater(mall):
    """驼色/黑色 × S/M/L at ¥1280 without 黑色 L, sold by three stores with stock."""
    product = make_product(
        name="经典圆领羊绒衫",
        subtitle="100% 山羊绒，柔软亲肤",
        category=mall.knit,
        brand=mall.erdos,
        audience=mall.women_audience,
        colours=("驼色", "黑色"),
        sizes=("S", "M", "L"),
        price=Decimal("1280.00"),
        sales_count=321,
        description="精选内蒙古阿尔巴斯山羊绒。\n手工缝合。",
        video="catalog/products/rc/intro.mp4",
        video_poster="catalog/products/rc/intro.jpg",
    )
    Sku.objects.filter(product=product, colour="黑色", size="L").delete()
    skus = {(sku.colour, sku.size): sku for sku in product.skus.all()}
    for position, colour in enumerate(("驼色", "黑色")):
        ProductImage.objects.create(
            product=product,
            image=f"catalog/products/rc/{position}.jpg",
            thumbnail=f"catalog/products/rc/thumbs/{position}.jpg",
            colour=colour,
            alt=f"{colour}正面",
            position=position,
        )
    ProductParameter.objects.create(product=product, name="成分", value="100% 山羊绒")
    kind = ProductType.objects.create(name="羊绒衫")
    collar = Attribute.objects.create(product_type=kind, name="领型", is_key=True)
    ProductAttributeValue.objects.create(product=product, attribute=collar, value="圆领")
    related = make_product(name="羊绒围巾", category=mall.home, brand=mall.erdos)
    accessory = make_product(name="羊绒护理液", category=mall.home, brand=mall.erdos)
    product.related_products.add(related)
    product.accessories.add(accessory)
    for store in (mall.store_near, mall.store_centre, mall.store_beijing):
        StoreListing.objects.create(store=store, product=product, sales_count=100)
    Stock.objects.bulk_create(
        [
            Stock(store=mall.store_near, sku=skus["驼色", "S"], on_hand=3),
            Stock(store=mall.store_near, sku=skus["黑色", "M"], on_hand=2, reserved=1),
            Stock(store=mall.store_centre, sku=skus["驼色", "S"], on_hand=4),
            Stock(store=mall.store_beijing, sku=skus["驼色", "S"], on_hand=50),
            # 伊金霍洛店 holds some but does not sell the product online.
            Stock(store=mall.store_far, sku=skus["驼色", "M"], on_hand=7),
        ]
    )
    return product, skus


def _page(client, product, query=""):
    return client.get(reverse("storefront:product", args=[product.id]) + query)


def _sku_data(html):
    found = re.search(r'<script id="sku-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_product_page_shows_the_product_and_its_seller(client, sweater, mall, ordos_visitor):
    product, _skus = sweater
    html = _page(client, product).content.decode()
    assert "<title>经典圆领羊绒衫 · 鄂尔多斯 · 绒城购</title>" in html
    assert '<meta name="description" content="100% 山羊绒，柔软亲肤 · 鄂尔多斯 · ¥1280.00">' in html
    assert f'<link rel="canonical" href="http://testserver/product/{product.id}/">' in html
    crumbs = html[
        html.index('class="breadcrumbs"') : html.index("</nav>", html.index("breadcrumbs"))
    ]
    assert f'href="{category_url(mall.women.id, "女装")}">女装</a>' in crumbs
    assert f'href="{category_url(mall.knit.id, "羊绒衫")}">羊绒衫</a>' in crumbs
    assert '<span aria-current="page">经典圆领羊绒衫</span>' in crumbs

    gallery = section(html, 'class="pdp-gallery"')
    # No variants are stored for these pictures: the page sends the pictures themselves.
    assert (
        '<picture><img src="/media/catalog/products/rc/0.jpg" alt="驼色正面" width="800" '
        'height="800" fetchpriority="high" data-gallery-main></picture>'
    ) in gallery
    assert gallery.count("data-gallery-thumb") == 2
    assert '<a href="/media/catalog/products/rc/1.jpg" data-gallery-thumb data-colour="黑色">' in (
        gallery
    )
    assert (
        '<picture><img src="/media/catalog/products/rc/thumbs/1.jpg" alt="黑色正面" width="64" '
        'height="64" loading="lazy"></picture>'
    ) in gallery
    video = (
        'src="/media/catalog/products/rc/intro.mp4" poster="/media/catalog/products/rc/intro.jpg"'
    )
    assert f"<video {video}" in gallery

    assert "<dt>领型</dt><dd>圆领</dd>" in html and "<dt>成分</dt><dd>100% 山羊绒</dd>" in html
    assert "<p>精选内蒙古阿尔巴斯山羊绒。</p><p>手工缝合。</p>" in html
    assert names_in(section(html, ">相关配件</h2>")) == ["羊绒护理液"]
    assert names_in(section(html, ">相关商品</h2>")) == ["羊绒围巾"]
    payments = section(html + "</section>", 'class="payments"').split("</dd>")[0]
    assert re.findall(r"<span>([^<]+)</span>", payments) == [
        "支付宝",
        "微信支付",
        "银联",
        "绒易付钱包",
        "门店现金",
    ]
    # The nearest store selling it to the centre of 鄂尔多斯 answers for it.
    seller = section(html, 'class="card side-block seller"')
    assert "<strong>康巴什旗舰店</strong>" in seller and "0.0 公里" in seller
    assert "https://uri.amap.com/marker?position=109.781000%2C39.608000" in seller
    store_url = reverse("storefront:store", args=[mall.store_near.id])
    assert f'href="{store_url}?category={mall.knit.id}">羊绒衫</a>' in html
    ranking = section(html, ">本店热销排行</h2>")
    assert ranking.index("经典圆领羊绒衫") < ranking.index("常规款12")
    assert "data-buy-now>立即购买</button>" in html


def test_sku_picker_works_without_script(client, sweater, ordos_visitor):
    product, skus = sweater
    html = _page(client, product).content.decode()
    assert f'data-chosen-id="{skus["驼色", "S"].id}"' in html
    assert "<strong data-chosen>驼色 / S</strong>" in html
    assert '<span class="in-stock">鄂尔多斯市有货</span> · 库存 7 件' in html

    html = _page(client, product, f"?sku={skus['黑色', 'M'].id}").content.decode()
    picker = section(html + "</section>", "data-sku-picker")
    assert "<strong data-chosen>黑色 / M</strong>" in picker
    assert '<span class="in-stock">鄂尔多斯市有货</span> · 库存 1 件' in picker
    # Colours keep the chosen size; sizes keep the chosen colour; 黑色 has no L.
    assert (
        f'href="?sku={skus["驼色", "M"].id}" rel="nofollow" class="chip" data-colour="驼色"'
        in picker
    )
    assert f'href="?sku={skus["黑色", "S"].id}" rel="nofollow" class="chip" data-size="S"' in picker
    assert '<span class="chip disabled" data-size="L"' in picker

    html = _page(client, product, f"?sku={skus['驼色', 'M'].id}").content.decode()
    assert (
        '<span class="out-of-stock">鄂尔多斯市暂无库存</span>' in html
    )  # 伊金霍洛店 does not sell it


def test_sku_data_for_the_script_matches_the_server(client, sweater, ordos_visitor):
    product, skus = sweater
    now = timezone.now()
    Sku.objects.filter(id=skus["黑色", "M"].id).update(
        special_price=Decimal("999.00"), special_starts_at=now - DAY, special_ends_at=now + DAY
    )
    data = _sku_data(_page(client, product).content.decode())
    by_pair = {(row["colour"], row["size"]): row for row in data}
    assert len(data) == 5 and ("黑色", "L") not in by_pair
    assert by_pair["驼色", "S"] | {"ends": ""} == {
        "id": skus["驼色", "S"].id,
        "colour": "驼色",
        "size": "S",
        "amount": "1280.00",
        "regular": "1280.00",
        "special": False,
        "stock": 7,
        "sellable": True,
        "ends": "",
        "label": "驼色 / S",
    }
    black = by_pair["黑色", "M"]
    assert (black["amount"], black["regular"], black["special"], black["stock"]) == (
        "999.00",
        "1280.00",
        True,
        1,
    )


def test_special_price_in_force_only_inside_its_window(
    client, sweater, ordos_visitor, django_capture_on_commit_callbacks
):
    product, skus = sweater
    now = timezone.now()
    query = f"?sku={skus['驼色', 'S'].id}"
    Sku.objects.filter(product=product).update(
        special_price=Decimal("999.00"), special_starts_at=now - DAY, special_ends_at=now + DAY
    )
    price = section(_page(client, product, query).content.decode() + "</section>", "data-price")
    assert '<span class="price price-special"><small>¥</small>999.00</span>' in price
    assert '<del class="price-regular" title="全国统一价">¥1280.00</del>' in price
    for starts, ends in ((now - 3 * DAY, now - DAY), (now + DAY, now + 3 * DAY)):
        Sku.objects.filter(product=product).update(special_starts_at=starts, special_ends_at=ends)
        # A window opens and closes by the clock: the price-window job purges the product's
        # cached page then (seo.tasks.purge_price_windows).
        with django_capture_on_commit_callbacks(execute=True):
            purge_products(product_ids=[product.id])
        html = _page(client, product, query).content.decode()
        price = section(html + "</section>", "data-price")
        assert '<span class="price"><small>¥</small>1280.00</span>' in price
        assert "<del" not in price
        assert {row["amount"] for row in _sku_data(html)} == {"1280.00"}


def test_visitor_elsewhere_is_served_by_the_store_nearest_to_them(client, sweater, regions):
    product, _skus = sweater
    session = client.session
    session[SESSION_KEY] = "110100"
    session.save()
    html = _page(client, product).content.decode()
    assert "<strong>北京国贸店</strong>" in section(html, 'class="card side-block seller"')
    assert '<span class="in-stock">北京市有货</span> · 库存 50 件' in html
    # A phone that shares its position is served by the store nearest to that position.
    html = _page(client, product, "?lat=39.817&lng=109.977").content.decode()
    assert "<strong>东胜体验店</strong>" in section(html, 'class="card side-block seller"')


def test_product_sold_by_no_store_falls_back_to_the_platform_service(client, mall):
    lonely = make_product(name="孤品", category=mall.knit, brand=mall.erdos)
    html = _page(client, lonely).content.decode()
    assert "平台客服" in html and "卖家信息" not in html


def test_unknown_or_unlisted_product_is_not_found(client, mall):
    assert client.get(reverse("storefront:product", args=[999999])).status_code == 404
    assert client.get(f"/product/{2**64}/").status_code == 404  # past any id: no page
    product = mall.products[0]
    Product.objects.filter(id=product.id).update(is_active=False)
    response = _page(client, product)
    assert response.status_code == 404 and "商品不存在或已下架。" in response.content.decode()


def test_product_query_count_does_not_grow_with_the_catalogue(
    client, sized_mall, ordos_visitor, django_assert_max_num_queries
):
    product = sized_mall.products[5]
    product.related_products.set(sized_mall.products[:12])
    product.accessories.set(sized_mall.products[-12:])
    with django_assert_max_num_queries(PRODUCT_QUERIES):
        response = _page(client, product)
    html = response.content.decode()
    assert len(names_in(html)) == 24
    assert "<strong>康巴什旗舰店</strong>" in html


def test_store_blocks_are_shared_by_the_pages_of_the_store(
    client, sweater, mall, ordos_visitor, django_assert_max_num_queries
):
    product, _skus = sweater
    client.get(reverse("storefront:store", args=[mall.store_near.id]))
    # city, product, SKUs, images, attributes, parameters, related, accessories, stock, seller,
    # answered questions
    with django_assert_max_num_queries(11):
        html = _page(client, product).content.decode()
    assert "经典圆领羊绒衫" in section(html, ">本店热销排行</h2>")


def _never_asked(storage, name):
    raise AssertionError(f"a page asked the storage for {name}")


def test_the_gallery_offers_webp_variants_once_written(
    client, sweater, ordos_visitor, django_capture_on_commit_callbacks, monkeypatch
):
    """Pictures stored before their variants show as themselves; once `image_variants` has
    written and recorded the variants, the page offers them at the slot's sizes, read from
    the rows alone."""
    product, _skus = sweater
    for position in (0, 1):
        default_storage.save(
            f"catalog/products/rc/{position}.jpg", ContentFile(picture("JPEG", (800, 800)))
        )
        default_storage.save(
            f"catalog/products/rc/thumbs/{position}.jpg", ContentFile(picture("JPEG", (240, 240)))
        )
    assert "<source" not in section(_page(client, product).content.decode(), 'class="pdp-gallery"')
    call_command("image_variants", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        purge_products(product_ids=[product.id])
    monkeypatch.setattr(FileSystemStorage, "exists", _never_asked)
    gallery = section(_page(client, product).content.decode(), 'class="pdp-gallery"')
    main = "/media/catalog/products/rc/0"
    assert (
        f'<picture><source type="image/webp" srcset="{main}.320w.webp 320w, {main}.640w.webp '
        f'640w, {main}.800w.webp 800w" sizes="(min-width: 960px) 460px, 100vw"><img '
        f'src="{main}.jpg" alt="驼色正面" width="800" height="800" fetchpriority="high" '
        "data-gallery-main></picture>"
    ) in gallery
    # A thumbnail names the main picture's variants for the script, and shows its own.
    other = "/media/catalog/products/rc/1"
    assert (
        f'<a href="{other}.jpg" data-srcset="{other}.320w.webp 320w, {other}.640w.webp 640w, '
        f'{other}.800w.webp 800w" data-gallery-thumb data-colour="黑色">'
    ) in gallery
    thumb = "/media/catalog/products/rc/thumbs/1"
    assert (
        f'<source type="image/webp" srcset="{thumb}.120w.webp 120w, {thumb}.240w.webp 240w, '
        f'{thumb}.360w.webp 360w, {thumb}.480w.webp 480w" sizes="60px">'
    ) in gallery


def test_the_product_page_links_its_stylesheets_in_the_head_only(client, sweater, ordos_visitor):
    product, _skus = sweater
    html = _page(client, product).content.decode()
    head, body = html.split("</head>")
    assert re.findall(
        r'<link rel="stylesheet" href="/static/storefront/css/([a-z]+)\.css">', head
    ) == [
        "site",
        "browse",
        "community",
    ]
    assert 'rel="stylesheet"' not in body
