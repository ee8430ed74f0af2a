import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rongcheng.catalog.calculations import Price
from rongcheng.catalog.errors import ProductNotFound
from rongcheng.catalog.models import (
    Attribute,
    AttributeOption,
    BrandFeature,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    Sku,
)
from rongcheng.catalog.selectors.brands import brand_hall, brands_featured
from rongcheng.catalog.selectors.cards import (
    ProductCard,
    ProductSort,
    brand_products,
    category_products,
    hot_sellers,
    new_arrivals,
    products_by_ids,
    special_price_products,
    special_sale,
)
from rongcheng.catalog.selectors.categories import category_key_attributes
from rongcheng.catalog.selectors.detail import product_detail
from rongcheng.catalog.tests.factories import (
    AudienceFactory,
    BrandFactory,
    CategoryFactory,
    ProductTypeFactory,
    make_product,
)
from rongcheng.core.dates import local_day
from rongcheng.core.testing.clock import AROUND_MIDNIGHT, next_midnight

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _put_on_special(product, price: str, *, starts=None, ends=None):
    Sku.objects.filter(product=product).update(
        special_price=Decimal(price),
        special_starts_at=starts or NOW - datetime.timedelta(days=1),
        special_ends_at=ends or NOW + datetime.timedelta(days=1),
    )


def test_category_goods_sort_by_sales_price_and_newest_with_pages():
    category = CategoryFactory()
    today = local_day()
    a = make_product(category=category, price=Decimal("300"), sales_count=5, launch_date=today)
    b = make_product(
        category=category,
        price=Decimal("100"),
        sales_count=50,
        launch_date=today - datetime.timedelta(days=3),
    )
    c = make_product(
        category=category,
        price=Decimal("200"),
        sales_count=20,
        launch_date=today - datetime.timedelta(days=9),
    )

    def ids(sort, **kw):
        return [card.id for card in category_products(category_id=category.id, sort=sort, **kw)]

    assert ids(ProductSort.SALES) == [b.id, c.id, a.id]
    assert ids(ProductSort.PRICE) == [b.id, c.id, a.id]
    assert ids(ProductSort.PRICE_DESC) == [a.id, c.id, b.id]
    assert ids(ProductSort.NEWEST) == [a.id, b.id, c.id]
    assert ids("no-such-sort") == [b.id, c.id, a.id]
    second = category_products(category_id=category.id, sort=ProductSort.PRICE, page=2, per_page=2)
    assert [card.id for card in second] == [a.id]
    assert second.paginator.count == 3


def test_a_card_carries_brand_price_and_special_price_in_force():
    brand = BrandFactory(name="云岭")
    product = make_product(brand=brand, price=Decimal("1280"), colours=("驼色", "黑色"))
    _put_on_special(product, "899")
    card = category_products(category_id=product.category_id).object_list[0]
    assert (card.brand_name, card.price.amount, card.price.regular) == (
        "云岭",
        Decimal("899.00"),
        Decimal("1280.00"),
    )
    assert card.price.is_special is True


def test_a_card_carries_every_field_it_shows_in_both_languages():
    """Card lists read plain rows: each field lands where the page looks for it."""
    brand = BrandFactory(name="云岭", name_latin="Yunling")
    launched = datetime.date(2026, 11, 2)
    product = make_product(
        brand=brand,
        name="格纹披肩",
        name_en="Check Wrap",
        subtitle="双面羊绒",
        subtitle_en="Double-faced",
        price=Decimal("1280"),
        sales_count=37,
        launch_date=launched,
    )
    ProductImage.objects.create(
        product=product, image="catalog/p/1.jpg", thumbnail="catalog/p/thumbs/1.jpg", position=1
    )
    ProductImage.objects.create(
        product=product,
        image="catalog/p/0.jpg",
        thumbnail="catalog/p/thumbs/0.jpg",
        thumbnail_widths="120 240 360 480",
        position=0,
    )
    _put_on_special(product, "899")
    expected = ProductCard(
        id=product.id,
        name="格纹披肩",
        name_en="Check Wrap",
        subtitle="双面羊绒",
        subtitle_en="Double-faced",
        brand_id=brand.id,
        brand_name="云岭",
        brand_name_en="Yunling",
        thumbnail_url="/media/catalog/p/thumbs/0.jpg",
        thumbnail_widths="120 240 360 480",
        price=Price(Decimal("899.00"), Decimal("1280.00"), True),
        sales_count=37,
        launch_date=launched,
    )
    assert category_products(category_id=product.category_id).object_list == [expected]
    assert hot_sellers(category_id=product.category_id) == [expected]
    assert products_by_ids(ids=[product.id]) == [expected]


def test_chosen_goods_come_in_the_order_given_without_inactive_or_unknown_ones():
    first, second = make_product(), make_product()
    retired = make_product(is_active=False)
    chosen = [second.id, retired.id, 999_999, first.id, second.id]
    assert [card.id for card in products_by_ids(ids=chosen)] == [second.id, first.id, second.id]
    assert products_by_ids(ids=[]) == []


def test_new_arrivals_are_the_goods_launched_within_the_period():
    today = datetime.date(2026, 11, 20)
    fresh = make_product(launch_date=today - datetime.timedelta(days=10))
    make_product(launch_date=today - datetime.timedelta(days=61))
    assert [card.id for card in new_arrivals(today=today)] == [fresh.id]


@pytest.mark.parametrize(("offset", "days_after"), AROUND_MIDNIGHT)
def test_the_new_arrival_period_counts_days_in_shanghai(settings, offset, days_after):
    period = settings.RONGCHENG["NEW_ARRIVAL_PERIOD"]
    day = local_day() + datetime.timedelta(days=days_after)
    first_day = make_product(launch_date=day - period)
    make_product(launch_date=day - period - datetime.timedelta(days=1))
    with time_machine.travel(next_midnight() + offset, tick=False):
        assert [card.id for card in new_arrivals()] == [first_day.id]


def test_special_price_goods_are_only_those_inside_their_window():
    running = make_product()
    _put_on_special(running, "500")
    over = make_product()
    _put_on_special(
        over,
        "500",
        starts=NOW - datetime.timedelta(days=5),
        ends=NOW - datetime.timedelta(days=1),
    )
    make_product()
    assert [card.id for card in special_price_products(now=NOW)] == [running.id]


def test_the_special_price_block_shows_the_subtree_goods_in_their_window_by_sales():
    noon = datetime.datetime(2026, 11, 20, 4, 0, tzinfo=datetime.UTC)
    day = datetime.timedelta(days=1)
    root = CategoryFactory(name="女装")
    knit, coat = (CategoryFactory(name=name, parent=root) for name in ("羊绒衫", "羊绒大衣"))
    scarf = CategoryFactory(name="围巾")

    def on_special(price: str, *, starts=noon - day, ends=noon + day, **fields):
        product = make_product(price=Decimal("1000"), **fields)
        _put_on_special(product, price, starts=starts, ends=ends)
        return product

    tied_low = on_special("700", category=knit, sales_count=30)
    tied_high = on_special("650", category=coat, sales_count=30)
    top = on_special("800", category=knit, sales_count=90)
    ending = on_special(
        "900", category=coat, sales_count=60, ends=noon + datetime.timedelta(hours=2)
    )
    on_special("500", category=knit, sales_count=99, ends=noon)  # over at noon exactly
    on_special("500", category=knit, sales_count=98, starts=noon + day, ends=noon + 2 * day)
    on_special("500", category=knit, sales_count=97, is_active=False)
    on_special("500", category=scarf, sales_count=96)
    Sku.objects.filter(product=on_special("500", category=coat, sales_count=95)).update(
        is_active=False
    )
    make_product(category=knit, sales_count=94)  # never on special

    def block(limit=10):
        cards = special_price_products(category_id=root.id, limit=limit)
        return [(card.id, card.price.amount) for card in cards]

    with time_machine.travel(noon, tick=False):
        assert block() == [
            (top.id, Decimal("800.00")),
            (ending.id, Decimal("900.00")),
            (tied_high.id, Decimal("650.00")),
            (tied_low.id, Decimal("700.00")),
        ]
        assert block(limit=2) == [(top.id, Decimal("800.00")), (ending.id, Decimal("900.00"))]
    with time_machine.travel(noon + datetime.timedelta(hours=2), tick=False):
        assert [card_id for card_id, _ in block()] == [top.id, tied_high.id, tied_low.id]


def test_special_sale_filters_by_audience_and_category():
    women, men = (
        AudienceFactory(code="women", name="女士"),
        AudienceFactory(code="men", name="男士"),
    )
    knit, scarf = CategoryFactory(name="羊绒衫"), CategoryFactory(name="围巾")
    w_knit = make_product(category=knit, audience=women)
    m_knit = make_product(category=knit, audience=men)
    w_scarf = make_product(category=scarf, audience=women)
    for product in (w_knit, m_knit, w_scarf):
        _put_on_special(product, "600")
    make_product(category=knit, audience=women)  # no special price

    def ids(**kw):
        return sorted(card.id for card in special_sale(now=NOW, **kw))

    assert ids() == sorted([w_knit.id, m_knit.id, w_scarf.id])
    assert ids(audience="women") == sorted([w_knit.id, w_scarf.id])
    assert ids(audience="women", category_id=knit.id) == [w_knit.id]


def test_hot_sellers_rank_by_sales_and_leave_out_inactive_goods():
    top = make_product(sales_count=90)
    second = make_product(sales_count=40)
    make_product(sales_count=99, is_active=False)
    assert [card.id for card in hot_sellers(limit=5)] == [top.id, second.id]


def test_featured_brands_rotate_with_their_windows_and_the_rest_are_listed_below():
    women = AudienceFactory(code="women", name="女士")
    spring = BrandFactory(name="春", in_brand_hall=True)
    autumn = BrandFactory(name="秋", in_brand_hall=True)
    other = BrandFactory(name="冬", in_brand_hall=True)
    other.audiences.add(women)
    BrandFactory(name="不付费")
    jan = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    feb = datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC)
    BrandFeature.objects.create(brand=spring, starts_at=jan, ends_at=feb)
    BrandFeature.objects.create(brand=autumn, starts_at=feb, ends_at=feb + datetime.timedelta(28))
    assert brands_featured(now=jan + datetime.timedelta(days=3)) == [spring]
    assert brands_featured(now=feb) == [autumn]
    hall = brand_hall(now=feb)
    assert hall.featured == [autumn]
    assert [b.name for b in hall.brands] == ["春", "冬"]
    assert [b.name for b in brand_hall(now=feb, audience="women").brands] == ["冬"]


def test_brand_goods_page_lists_only_that_brand():
    brand = BrandFactory()
    mine = make_product(brand=brand)
    make_product()
    assert [card.id for card in brand_products(brand_id=brand.id)] == [mine.id]


def test_key_attributes_are_inherited_from_the_nearest_category_with_a_type():
    sweater = ProductTypeFactory(name="羊绒衫")
    neck = Attribute.objects.create(product_type=sweater, name="领型", is_key=True)
    AttributeOption.objects.create(attribute=neck, value="圆领")
    Attribute.objects.create(product_type=sweater, name="洗涤说明")
    root = CategoryFactory(product_type=sweater)
    leaf = CategoryFactory(parent=CategoryFactory(parent=root))
    attributes = category_key_attributes(category_id=leaf.id)
    assert [a.name for a in attributes] == ["领型"]
    assert [o.value for o in attributes[0].options.all()] == ["圆领"]
    assert category_key_attributes(category_id=CategoryFactory().id) == []


def test_product_detail_bundles_skus_images_parameters_and_related_goods():
    sweater = ProductTypeFactory(name="羊绒衫")
    neck = Attribute.objects.create(product_type=sweater, name="领型", is_key=True)
    weight = Attribute.objects.create(product_type=sweater, name="克重", unit="g")
    round_neck = AttributeOption.objects.create(attribute=neck, value="圆领")
    product = make_product(
        product_type=sweater,
        colours=("驼色", "黑色"),
        sizes=("S", "M"),
        price=Decimal("1580"),
    )
    ProductAttributeValue.objects.create(product=product, attribute=neck, option=round_neck)
    ProductAttributeValue.objects.create(product=product, attribute=weight, value="320")
    ProductParameter.objects.create(product=product, name="产地", value="鄂尔多斯", position=2)
    ProductParameter.objects.create(product=product, name="成分", value="100% 山羊绒")
    related = make_product()
    scarf = make_product()
    hidden = make_product(is_active=False)
    product.related_products.add(related, hidden)
    product.accessories.add(scarf)
    detail = product_detail(product_id=product.id, now=NOW)
    assert [(s.colour, s.size) for s in detail.skus] == [
        ("驼色", "S"),
        ("驼色", "M"),
        ("黑色", "S"),
        ("黑色", "M"),
    ]
    assert [c for c, _hex in detail.colours] == ["驼色", "黑色"]
    assert detail.sizes == ["S", "M"]
    assert detail.price.amount == Decimal("1580.00")
    assert detail.attributes == [("领型", "圆领"), ("克重（g）", "320")]
    assert detail.parameters == [("成分", "100% 山羊绒"), ("产地", "鄂尔多斯")]
    assert [c.id for c in detail.related] == [related.id]
    assert [c.id for c in detail.accessories] == [scarf.id]
    assert [n.id for n in detail.breadcrumbs] == [product.category_id]


def _values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.mark.parametrize("with_audience", [True, False])
def test_product_detail_reads_the_product_and_its_relations_as_the_orm_does(with_audience):
    product = make_product(
        audience=AudienceFactory(code="women", name="女士") if with_audience else None,
        name_en="Crew neck",
        subtitle="软糯",
        description="<p>100% 山羊绒</p>",
        sales_count=17,
        launch_date=datetime.date(2026, 9, 1),
    )
    expected = Product.objects.select_related("brand", "category", "audience").get(id=product.id)
    shown = product_detail(product_id=product.id, now=NOW).product
    with CaptureQueriesContext(connection) as reads:
        assert _values(shown) == _values(expected)
        assert _values(shown.brand) == _values(expected.brand)
        assert _values(shown.category) == _values(expected.category)
        if with_audience:
            assert _values(shown.audience) == _values(expected.audience)
        else:
            assert shown.audience is None
    assert reads.captured_queries == []  # the relations came with the product
    assert shown.sales_count == 17
    assert shown.launch_date == datetime.date(2026, 9, 1)
    assert shown.price == Decimal("1280.00")
    assert shown.is_active is True
    assert shown.created_at == expected.created_at


def test_product_detail_lists_pictures_in_their_order_and_prices_skus_with_their_special():
    product = make_product(colours=("驼色",), sizes=("S", "M"), price=Decimal("1280"))
    ProductImage.objects.create(product=product, image="p/b.jpg", position=2, alt="背面")
    ProductImage.objects.create(
        product=product, image="p/a.jpg", thumbnail="p/a-t.jpg", position=1, colour="驼色"
    )
    first = product.skus.order_by("position").first()
    Sku.objects.filter(id=first.id).update(
        special_price=Decimal("999"),
        special_starts_at=NOW - datetime.timedelta(days=1),
        special_ends_at=NOW + datetime.timedelta(days=1),
        colour_en="Camel",
    )
    detail = product_detail(product_id=product.id, now=NOW)
    assert [(i.url, i.thumbnail_url, i.colour, i.alt) for i in detail.images] == [
        ("/media/p/a.jpg", "/media/p/a-t.jpg", "驼色", ""),
        ("/media/p/b.jpg", "", "", "背面"),
    ]
    assert [(s.size, s.colour_en, s.price.amount, s.price.is_special) for s in detail.skus] == [
        ("S", "Camel", Decimal("999.00"), True),
        ("M", "", Decimal("1280.00"), False),
    ]
    assert detail.skus[0].price.special_ends_at == NOW + datetime.timedelta(days=1)
    assert detail.price.amount == Decimal("999.00")


def test_an_inactive_product_has_no_detail_page():
    product = make_product(is_active=False)
    with pytest.raises(ProductNotFound):
        product_detail(product_id=product.id)


def _add_goods(leaf, brand, audience, count: int) -> list:
    products = [
        make_product(
            category=leaf,
            brand=brand,
            audience=audience,
            sales_count=i,
            colours=("驼色", "黑色"),
            sizes=("S", "M"),
        )
        for i in range(count)
    ]
    for product in products[::2]:
        _put_on_special(product, "700")
    return products


def _queries(call) -> int:
    call()  # warm the category tree cache, so both rounds count the same work
    with CaptureQueriesContext(connection) as ctx:
        result = call()
        if hasattr(result, "object_list"):
            list(result.object_list)
    return len(ctx.captured_queries)


def test_selector_queries_do_not_grow_from_20_to_200_products():
    root = CategoryFactory(name="女装")
    leaf = CategoryFactory(name="羊绒衫", parent=CategoryFactory(name="针织", parent=root))
    women = AudienceFactory(code="women", name="女士")
    brand = BrandFactory(in_brand_hall=True)
    products = _add_goods(leaf, brand, women, 20)
    first = products[0]
    selectors = {
        "category_products": lambda: category_products(category_id=root.id),
        "new_arrivals": lambda: new_arrivals(category_id=root.id),
        "special": lambda: special_price_products(category_id=root.id),
        "hot_sellers": lambda: hot_sellers(category_id=root.id),
        "special_sale": lambda: special_sale(audience="women", category_id=root.id),
        "brand_products": lambda: brand_products(brand_id=brand.id),
        "product_detail": lambda: product_detail(product_id=first.id),
        "brand_hall": lambda: brand_hall(),
    }
    first.related_products.add(*products[1:6])
    first.accessories.add(*products[6:9])
    small = {name: _queries(select) for name, select in selectors.items()}

    more = _add_goods(leaf, brand, women, 180)
    first.related_products.add(*more[:40])
    first.accessories.add(*more[40:60])
    big = {name: _queries(select) for name, select in selectors.items()}
    assert small == big
    assert small == {
        "category_products": 2,
        "new_arrivals": 1,
        "special": 1,
        "hot_sellers": 1,
        "special_sale": 2,
        "brand_products": 2,
        "product_detail": 5,  # product, SKUs, pictures, what it lists under it, linked cards
        "brand_hall": 2,
    }
