import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rongcheng.catalog.models import Sku
from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.cms.models import (
    Ad,
    AdSlot,
    DisplayTemplate,
    HomeArea,
    HomeAreaProduct,
    PromotionNotice,
)
from rongcheng.cms.selectors import ads_for_slot, home_page, promotion_notices

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def grid(db):
    return DisplayTemplate.objects.create(
        name="五列两行", layout=DisplayTemplate.Layout.GRID, columns=5, rows=2
    )


def _image():
    return SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg")


def test_ads_show_only_inside_their_schedule(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    slot = AdSlot.objects.create(code="home-banner", name="首页大图")
    live = Ad.objects.create(
        slot=slot, title="双十一", image=_image(), starts_at=NOW - DAY, ends_at=NOW + DAY
    )
    Ad.objects.create(
        slot=slot, title="过期", image=_image(), starts_at=NOW - 3 * DAY, ends_at=NOW - DAY
    )
    Ad.objects.create(
        slot=slot, title="未开始", image=_image(), starts_at=NOW + DAY, ends_at=NOW + 2 * DAY
    )
    Ad.objects.create(
        slot=slot,
        title="停用",
        image=_image(),
        starts_at=NOW - DAY,
        ends_at=NOW + DAY,
        is_active=False,
    )
    assert ads_for_slot(code="home-banner", now=NOW) == [live]


def test_notices_in_force_pinned_first():
    old = PromotionNotice.objects.create(
        title="会员日", body="全场 9 折", starts_at=NOW - 2 * DAY, ends_at=NOW + DAY
    )
    pinned = PromotionNotice.objects.create(
        title="新店开业", body="满减", starts_at=NOW - 3 * DAY, ends_at=NOW + DAY, is_pinned=True
    )
    PromotionNotice.objects.create(
        title="已结束", body="-", starts_at=NOW - 3 * DAY, ends_at=NOW - DAY
    )
    assert promotion_notices(now=NOW) == [pinned, old]


def test_home_areas_come_in_the_order_set_and_fill_themselves(grid):
    women = CategoryFactory(name="女装")
    knit = CategoryFactory(name="羊绒衫", parent=women)
    men = CategoryFactory(name="男装")
    in_women = [make_product(category=knit, sales_count=n) for n in range(12)]
    in_men = make_product(category=men, sales_count=500)
    on_special = make_product(category=men, sales_count=1)
    Sku.objects.filter(product=on_special).update(
        special_price=Decimal("500"), special_starts_at=NOW - DAY, special_ends_at=NOW + DAY
    )
    hot_brand = BrandFactory(is_hot=True)
    two_by_one = DisplayTemplate.objects.create(name="两列一行", layout="grid", columns=2, rows=1)
    HomeArea.objects.create(title="男装", kind="category", category=men, template=grid, position=3)
    HomeArea.objects.create(
        title="女装", kind="category", category=women, template=grid, position=2
    )
    HomeArea.objects.create(title="热销", kind="hot_products", template=two_by_one, position=1)
    HomeArea.objects.create(title="特卖", kind="special_sale", template=grid, position=4)
    HomeArea.objects.create(title="品牌", kind="hot_brands", template=grid, position=5)
    HomeArea.objects.create(title="停用", kind="hot_products", template=grid, is_active=False)

    page = home_page(now=NOW)
    assert [c.area.title for c in page] == ["热销", "女装", "男装", "特卖", "品牌"]
    hot, women_area, men_area, sale, brands = page
    assert [card.id for card in hot.products] == [in_men.id, in_women[11].id]
    assert [card.id for card in women_area.products] == [p.id for p in in_women[::-1][:10]]
    assert [card.id for card in men_area.products] == [in_men.id, on_special.id]
    assert [card.id for card in sale.products] == [on_special.id]
    assert brands.brands == [hot_brand]


def test_pinned_products_replace_the_automatic_fill(grid):
    area = HomeArea.objects.create(title="主推", kind="hot_products", template=grid)
    a, b = make_product(sales_count=1), make_product(sales_count=2)
    make_product(sales_count=99)
    HomeAreaProduct.objects.create(area=area, product=a, position=2)
    HomeAreaProduct.objects.create(area=area, product=b, position=1)
    assert [card.id for card in home_page(now=NOW)[0].products] == [b.id, a.id]


def _queries() -> int:
    home_page(now=NOW)  # warm the category tree cache
    with CaptureQueriesContext(connection) as ctx:
        home_page(now=NOW)
    return len(ctx.captured_queries)


def test_home_page_queries_do_not_grow_with_the_catalogue(grid, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    women = CategoryFactory(name="女装")
    slot = AdSlot.objects.create(code="home-banner", name="首页大图")
    Ad.objects.create(slot=slot, title="a", image=_image(), starts_at=NOW - DAY, ends_at=NOW + DAY)
    HomeArea.objects.create(title="大图", kind="banner", ad_slot=slot, template=grid, position=0)
    HomeArea.objects.create(title="热销", kind="hot_products", template=grid, position=1)
    HomeArea.objects.create(
        title="女装", kind="category", category=women, template=grid, position=2
    )
    pinned = HomeArea.objects.create(title="主推", kind="hot_products", template=grid, position=3)
    HomeArea.objects.create(title="公告", kind="notices", template=grid, position=4)
    for count in (20, 180):
        products = [make_product(category=women) for _ in range(count)]
        for position, product in enumerate(products[:8]):
            HomeAreaProduct.objects.create(area=pinned, product=product, position=position)
        if count == 20:
            small = _queries()
    assert _queries() == small == 7
