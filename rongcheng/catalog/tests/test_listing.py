"""A category's or a brand's whole list read by its written SQL (`list_page`) pages exactly
as the querysets of `cards_page` do: the same cards in the same order, the same count and
page numbers, for every sort, with and without a brand, on every page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rongcheng.catalog.models import Product, ProductImage, Sku
from rongcheng.catalog.selectors.cards import (
    ORDERINGS,
    ProductSort,
    _list_page_statement,
    cards_page,
    list_page,
)
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.selectors.filtering import ProductFilter, product_search, products_filtered
from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.date(2026, 10, 1)


@pytest.fixture
def shelf():
    """23 goods under a root with two leaves, two brands; ties in sales, price and launch
    day (the id decides), specials in force, ended and to come, pictures on some."""
    root = CategoryFactory(name="女装")
    leaves = [
        CategoryFactory(name="羊绒衫", parent=root),
        CategoryFactory(name="大衣", parent=root),
    ]
    brands = [BrandFactory(name="绒城", name_latin="RC"), BrandFactory(name="北疆")]
    goods = []
    for n in range(23):
        product = make_product(
            category=leaves[n % 2] if n % 5 else root,
            brand=brands[1] if n % 3 == 0 else brands[0],
            price=Decimal(100 + (n * 37) % 5 * 50),
            sales_count=(n * 7) % 6,
            launch_date=DAY + datetime.timedelta(days=n % 4),
            is_active=n != 11,
        )
        goods.append(product)
        if n % 4 == 0:
            ProductImage.objects.create(product=product, image=f"p/{n}.jpg", position=2)
            ProductImage.objects.create(
                product=product, image=f"p/{n}b.jpg", thumbnail=f"p/{n}t.jpg", position=1
            )
    windows = {
        3: (NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=1)),  # in force
        6: (NOW - datetime.timedelta(days=3), NOW - datetime.timedelta(days=1)),  # ended
        9: (NOW + datetime.timedelta(days=1), NOW + datetime.timedelta(days=2)),  # to come
        12: (NOW - datetime.timedelta(hours=1), NOW + datetime.timedelta(hours=1)),
    }
    for n, (starts, ends) in windows.items():
        Sku.objects.filter(product=goods[n]).update(
            special_price=Decimal("88.5"), special_starts_at=starts, special_ends_at=ends
        )
    return root, leaves, brands


def _shown(page) -> tuple:
    return (
        page.object_list,
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
    )


@pytest.mark.parametrize("sort", [*ProductSort.values, "", "bogus"])
def test_the_written_list_pages_as_the_querysets_do(shelf, sort):
    root, leaves, brands = shelf
    tree = category_tree()
    for category_id in (root.id, leaves[0].id, None):
        ids = None if category_id is None else tree.subtree_ids(category_id)
        for brand_id in (None, brands[0].id, brands[1].id):
            filters = ProductFilter(category_id=category_id, brand_id=brand_id)
            products = products_filtered(filters=filters, now=NOW, tree=tree)
            for page in (1, 2, 3, 4, "last", "x", 0):
                expected = cards_page(products, sort=sort, page=page, per_page=4, now=NOW)
                written = list_page(
                    category_ids=ids,
                    brand_id=brand_id,
                    sort=sort,
                    page=page,
                    per_page=4,
                    now=NOW,
                )
                assert _shown(written) == _shown(expected), (category_id, brand_id, page)


def test_the_whole_list_shows_the_special_price_in_force_and_the_first_picture(shelf):
    root, _leaves, _brands = shelf
    cards = list_page(category_ids=category_tree().subtree_ids(root.id), per_page=50, now=NOW)
    specials = [card for card in cards.object_list if card.price.is_special]
    assert [card.price.amount for card in specials] == [Decimal("88.50")] * 2
    assert {card.thumbnail_url for card in cards.object_list} == {
        "",
        *(f"/media/p/{n}t.jpg" for n in (0, 4, 8, 12, 16, 20)),
    }
    assert cards.paginator.count == 22  # the inactive one is left out


def test_a_known_count_is_taken_and_only_words_leave_the_written_list(shelf):
    root, _leaves, brands = shelf
    whole = ProductFilter(category_id=root.id, brand_id=brands[0].id, query="  ")
    tree = category_tree()
    with CaptureQueriesContext(connection) as read:
        page = product_search(
            filters=whole, sort="price", page=2, per_page=4, count=9, now=NOW, tree=tree
        )
    assert page.paginator.count == 9
    assert len(read.captured_queries) == 1  # the page alone
    assert "LIMIT" in read.captured_queries[0]["sql"]
    worded = ProductFilter(category_id=root.id, query="羊绒")
    assert _shown(product_search(filters=worded, now=NOW)) == _shown(
        cards_page(products_filtered(filters=worded, now=NOW), now=NOW)
    )


def _reversed(fields: list[str]) -> list[str]:
    return [field[1:] if field.startswith("-") else f"-{field}" for field in fields]


@pytest.mark.parametrize("sort", list(ProductSort))
@pytest.mark.parametrize("prefix", [["category", "is_active"], ["is_active"]])
def test_each_list_order_has_an_index_holding_it_whole(prefix, sort):
    """With the id that ends each order in the index, a page is read from the index as it
    stands; without it PostgreSQL filtered the sort column's index over every product."""
    order = list(ORDERINGS[sort])
    held = [list(index.fields) for index in Product._meta.indexes]
    assert [*prefix, *order] in held or [*prefix, *_reversed(order)] in held


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("sort", list(ProductSort))
def test_a_brand_within_a_category_is_read_from_its_own_index(shelf, sort):
    """Not the catalogue's sort index walked and filtered, as PostgreSQL chose whenever it
    priced reading a few hundred rows of the brand above walking every product's."""
    root, _leaves, brands = shelf
    statement = _list_page_statement(ProductSort(sort), by_category=True, by_brand=True)
    sql, params = statement._bind(
        [NOW, NOW, category_tree().subtree_ids(root.id), brands[0].id, 4, 4]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a catalogue, not a test's shelf
        cursor.execute("SET LOCAL enable_sort = off")  # sorting the brand's goods, priced high
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    walked = [index.name for index in Product._meta.indexes if index.fields[0] == "is_active"]
    assert not [name for name in walked if name in plan], plan
