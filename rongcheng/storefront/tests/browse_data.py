"""A catalogue for the browsing-page tests: a few named goods with exact values, and any
number of filler products made with bulk_create, so the same page can be checked with 20 and
with 2,000 products."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rongcheng.catalog.models import (
    Audience,
    Brand,
    BrandFeature,
    Category,
    Product,
    ProductImage,
    ProductParameter,
    Sku,
)
from rongcheng.catalog.services import product_price_refresh
from rongcheng.catalog.tests.factories import CategoryFactory
from rongcheng.cms.models import (
    Ad,
    AdSlot,
    DisplayTemplate,
    HomeArea,
    HomeVideo,
    PromotionNotice,
)
from rongcheng.cms.selectors import CATEGORY_TOP_SLOT
from rongcheng.core.dates import local_day
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.regions.models import Region
from rongcheng.stores.models import Store

DAY = datetime.timedelta(days=1)
ORDOS = "150600"
BEIJING = "110100"


@dataclass
class Catalogue:
    women: Category
    knit: Category
    coat: Category
    men: Category
    home: Category
    women_audience: Audience
    men_audience: Audience
    erdos: Brand
    brand_1436: Brand
    rongcheng: Brand
    store_near: Store  # 鄂尔多斯 康巴什, recommended
    store_centre: Store  # 鄂尔多斯 东胜, recommended
    store_far: Store  # 鄂尔多斯 not recommended
    store_beijing: Store
    products: list[Product] = field(default_factory=list)


def upload_image(name: str = "a.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"GIF89a", content_type="image/gif")


def _store(code: str, name: str, city: Region, lat: str, lng: str, **fields) -> Store:
    return Store.objects.create(
        code=code,
        name=name,
        kind=fields.pop("kind", Store.Kind.DIRECT),
        city=city,
        address=fields.pop("address", f"{name}地址"),
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        phone=fields.pop("phone", "0477-8500000"),
        **fields,
    )


def build_catalogue(filler: int) -> Catalogue:
    """Categories, audiences, brands and stores, plus `filler` products in bulk: every store of
    Ordos lists them, the nearest one holds 5 units of each SKU, every fifth is on special."""
    now = timezone.now()
    regions = {region.code: region for region in Region.objects.all()}
    women = CategoryFactory(name="女装", position=1, is_recommended=True)
    men = CategoryFactory(name="男装", position=2, is_recommended=True)
    home = CategoryFactory(name="家居", position=3)
    knit = CategoryFactory(name="羊绒衫", parent=women, position=1)
    coat = CategoryFactory(name="羊绒大衣", parent=women, position=2)
    women_audience = Audience.objects.create(code="women", name="女士", position=1)
    men_audience = Audience.objects.create(code="men", name="男士", position=2)
    erdos = Brand.objects.create(
        name="鄂尔多斯", name_latin="ERDOS", in_brand_hall=True, is_hot=True, position=1
    )
    erdos.audiences.set([women_audience, men_audience])
    brand_1436 = Brand.objects.create(name="1436", slogan="顶级小山羊绒", in_brand_hall=True)
    brand_1436.audiences.set([women_audience])
    rongcheng = Brand.objects.create(name="绒城", is_hot=True, position=2)
    BrandFeature.objects.create(brand=brand_1436, starts_at=now - DAY, ends_at=now + DAY)
    ordos, beijing = regions[ORDOS], regions[BEIJING]
    mall = Catalogue(
        women=women,
        knit=knit,
        coat=coat,
        men=men,
        home=home,
        women_audience=women_audience,
        men_audience=men_audience,
        erdos=erdos,
        brand_1436=brand_1436,
        rongcheng=rongcheng,
        # The city centre of 鄂尔多斯 in the fixtures is 39.608266, 109.781327.
        store_near=_store(
            "kbs", "康巴什旗舰店", ordos, "39.608000", "109.781000", is_recommended=True
        ),
        store_centre=_store(
            "ds", "东胜体验店", ordos, "39.817000", "109.977000", is_recommended=True
        ),
        store_far=_store("yj", "伊金霍洛店", ordos, "39.565000", "109.740000"),
        store_beijing=_store(
            "bj", "北京国贸店", beijing, "39.909000", "116.460000", is_recommended=True
        ),
    )
    mall.products = bulk_products(mall, filler, now=now)
    return mall


def bulk_products(
    mall: Catalogue, count: int, *, now: datetime.datetime, first: int = 0
) -> list[Product]:
    """`count` products in a fixed number of statements, whatever `count` is; `first` numbers
    the first of them, to add more to a catalogue."""
    leaves = [mall.knit, mall.coat, mall.men, mall.home]
    brands = [mall.erdos, mall.brand_1436, mall.rongcheng]
    audiences = [mall.women_audience, mall.men_audience]
    today = local_day()
    products = Product.objects.bulk_create(
        Product(
            style_code=f"F{i:06d}",
            name=f"常规款{i}",
            category=leaves[i % len(leaves)],
            brand=brands[i % len(brands)],
            audience=audiences[i % len(audiences)],
            launch_date=today - datetime.timedelta(days=100 + i % 300),
            sales_count=i % 97,
        )
        for i in range(first, first + count)
    )
    skus = Sku.objects.bulk_create(
        Sku(
            product=product,
            code=f"{product.style_code}-{colour}",
            colour=colour,
            size="M",
            price=Decimal(2000 + i % 500),
            **(
                {
                    "special_price": Decimal(1500 + i % 300),
                    "special_starts_at": now - DAY,
                    "special_ends_at": now + DAY,
                }
                if i % 5 == 0
                else {}
            ),
        )
        for i, product in enumerate(products)
        for colour in ("驼色", "黑色")
    )
    ProductImage.objects.bulk_create(
        ProductImage(
            product=product,
            image=f"catalog/products/{product.style_code}/main.jpg",
            thumbnail=f"catalog/products/{product.style_code}/thumbs/main.jpg",
            position=0,
        )
        for product in products
    )
    ProductParameter.objects.bulk_create(
        ProductParameter(product=product, name="成分", value="100% 山羊绒") for product in products
    )
    for store in (mall.store_near, mall.store_centre, mall.store_far):
        StoreListing.objects.bulk_create(
            StoreListing(store=store, product=product, listed_at=now, sales_count=i % 13)
            for i, product in enumerate(products)
        )
    Stock.objects.bulk_create(Stock(store=mall.store_near, sku=sku, on_hand=5) for sku in skus)
    product_price_refresh(product_ids=[product.id for product in products])
    return products


def build_home(mall: Catalogue) -> dict[str, HomeArea]:
    """Every kind of home area, in a set order, with two real layouts (grid, feature)."""
    now = timezone.now()
    grid = DisplayTemplate.objects.create(name="五列两行", layout="grid", columns=5, rows=2)
    feature = DisplayTemplate.objects.create(name="大图+网格", layout="feature", columns=4, rows=2)
    slot = AdSlot.objects.create(code="home-banner", name="首页大图")
    Ad.objects.create(
        slot=slot,
        title="冬季羊绒节",
        image=upload_image(),
        category=mall.women,
        starts_at=now - DAY,
        ends_at=now + DAY,
    )
    Ad.objects.create(
        slot=slot,
        title="已结束的广告",
        image=upload_image(),
        starts_at=now - 3 * DAY,
        ends_at=now - DAY,
    )
    HomeVideo.objects.create(
        title="山羊绒的故事", kind="ad", video="cms/videos/story.mp4", poster="cms/videos/story.jpg"
    )
    PromotionNotice.objects.create(
        title="会员日全场九折", body="每月 8 日", starts_at=now - DAY, ends_at=now + DAY
    )
    kinds = [
        ("banner", "大幅广告", grid, {"ad_slot": slot}),
        ("hot_products", "热销商品", grid, {}),
        ("coupons", "优惠券", grid, {}),
        ("featured_stores", "推荐门店", grid, {}),
        ("hot_brands", "热门品牌", grid, {}),
        ("special_sale", "特卖专区", grid, {}),
        ("category", "女装专区", feature, {"category": mall.women}),
        ("category", "男装专区", grid, {"category": mall.men}),
        ("videos", "视频", grid, {}),
        ("notices", "促销公告", grid, {}),
    ]
    areas = {}
    for position, (kind, title, template, extra) in enumerate(kinds):
        areas[title] = HomeArea.objects.create(
            kind=kind, title=title, template=template, position=position, **extra
        )
    return areas


def category_top_slot() -> AdSlot:
    return AdSlot.objects.create(code=CATEGORY_TOP_SLOT, name="类目页顶部")


# --- Fixtures (a pytest plugin: the root conftest.py loads this module) ---------------------


@pytest.fixture
def ordos_visitor(settings, regions):
    """Visitors are in 鄂尔多斯 unless they pick another city."""
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": ORDOS}


@pytest.fixture
def mall(regions, settings, tmp_path) -> Catalogue:
    settings.MEDIA_ROOT = tmp_path  # uploads made by a test (ad pictures)
    return build_catalogue(20)


@pytest.fixture(params=[20, 2000], ids=["20-products", "2000-products"])
def sized_mall(request, regions, settings, tmp_path) -> Catalogue:
    """The same catalogue with 20 or with 2,000 filler products: page query counts must not
    depend on the size of the catalogue."""
    settings.MEDIA_ROOT = tmp_path
    return build_catalogue(request.param)


def section(html: str, marker: str) -> str:
    """The HTML from `marker` to the end of its <section> (areas do not nest sections)."""
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def names_in(html: str) -> list[str]:
    """Product names of the cards in a piece of HTML, in order."""
    return re.findall(r'<span class="pcard-name">([^<]*)</span>', html)


def card_html(html: str, name: str) -> str:
    """The product card of `name`."""
    at = html.index(f'<span class="pcard-name">{name}</span>')
    return html[html.rindex('<a class="pcard"', 0, at) : html.index("</a>", at)]
