"""First visits of the browsing pages: what they read does not grow with the catalogue, and
the short cuts that make them cheap (maintained category counts, the product's availability
in two queries, query-string links) answer exactly what the long way answers."""

from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rongcheng.cart.selectors import Problem, sku_states
from rongcheng.catalog.models import Brand, Category, Product
from rongcheng.catalog.selectors.filtering import ProductFilter, product_search
from rongcheng.catalog.services import product_save
from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.process_copies import forget_all
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.inventory.selectors import product_availability
from rongcheng.seo import generations
from rongcheng.seo.locations import CATALOGUE, LISTINGS
from rongcheng.storefront.browse import category_count, category_url, querystring, shared_block
from rongcheng.storefront.tests.browse_data import build_catalogue, build_home, bulk_products
from rongcheng.storefront.tests.test_browse_catalog import CATEGORY_QUERIES
from rongcheng.storefront.tests.test_browse_home import HOME_QUERIES
from rongcheng.storefront.tests.test_browse_product import PRODUCT_QUERIES
from rongcheng.stores.models import Store

pytestmark = pytest.mark.django_db


def _statements(client, address: str) -> int:
    """SQL statements of a first visit: nothing cached, neither the page nor its blocks."""
    cache.clear()
    forget_all()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_first_visits_read_as_much_with_2000_products_as_with_20(
    client, regions, ordos_visitor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    mall = build_catalogue(20)
    build_home(mall)
    product = mall.products[5]
    product.related_products.set(mall.products[:12])
    product.accessories.set(mall.products[-12:])
    women = category_url(mall.women.id, mall.women.name)
    pages = {
        "home": ("/", HOME_QUERIES),
        "category": (women, CATEGORY_QUERIES),
        "category, page 2 by price": (f"{women}?sort=price&page=2", CATEGORY_QUERIES),
        "category with brand and words": (
            f"{women}?brand={mall.erdos.id}&q=常规&page=2",
            CATEGORY_QUERIES,
        ),
        "product": (f"/product/{product.id}/", PRODUCT_QUERIES),
    }
    small = {name: _statements(client, address) for name, (address, _bound) in pages.items()}
    bulk_products(mall, 1980, now=timezone.now(), first=20)
    assert Product.objects.count() == 2000
    large = {name: _statements(client, address) for name, (address, _bound) in pages.items()}
    assert large == small
    for name, (_address, bound) in pages.items():
        assert small[name] <= bound, name


def test_the_whole_category_list_takes_its_maintained_count(
    client, mall, ordos_visitor, django_assert_num_queries
):
    women = category_url(mall.women.id, mall.women.name)
    client.get(women)  # the side blocks and the counts, as every visitor finds them
    with django_assert_num_queries(1):  # the page of cards
        client.get(f"{women}?sort=price")
    with django_assert_num_queries(1):  # of one brand, counted from the same counts
        client.get(f"{women}?sort=price&brand={mall.erdos.id}")
    with django_assert_num_queries(2):  # words narrow a list as no count kept can
        client.get(f"{women}?sort=price&q=常规")


def _count(category: Category, brand: Brand | None = None) -> int:
    request = RequestFactory().get("/")
    return category_count(request, category.id, brand.id if brand else None)


def _counted(category: Category, brand: Brand | None = None) -> int:
    filters = ProductFilter(category_id=category.id, brand_id=brand.id if brand else None)
    return product_search(filters=filters).paginator.count


def test_maintained_category_counts_equal_counting_the_list(
    mall, django_capture_on_commit_callbacks
):
    categories = [mall.women, mall.knit, mall.coat, mall.men, mall.home]
    assert [_count(c) for c in categories] == [_counted(c) for c in categories]
    assert [_count(c) for c in categories] == [10, 5, 5, 5, 5]
    # A product taken off sale through its service leaves the counts of its category and
    # every category above it.
    gone = Product.objects.get(id=mall.products[0].id)
    assert gone.category_id == mall.knit.id
    gone.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        product_save(product=gone)
    assert [_count(c) for c in categories] == [9, 4, 5, 5, 5]
    assert [_count(c) for c in categories] == [_counted(c) for c in categories]


def test_maintained_counts_of_a_brand_equal_counting_its_list(
    mall, django_capture_on_commit_callbacks
):
    categories = [mall.women, mall.knit, mall.coat, mall.men, mall.home]
    brands = [mall.erdos, mall.brand_1436, mall.rongcheng]
    counts = {(c.name, b.name): _count(c, b) for c in categories for b in brands}
    assert counts == {(c.name, b.name): _counted(c, b) for c in categories for b in brands}
    assert [counts[mall.women.name, b.name] for b in brands] == [3, 4, 3]
    assert sum(counts[mall.women.name, b.name] for b in brands) == _count(mall.women)
    # Moved to another brand through its service: the counts of both brands follow.
    moved = Product.objects.get(id=mall.products[0].id)
    assert (moved.category_id, moved.brand_id) == (mall.knit.id, mall.erdos.id)
    moved.brand = mall.rongcheng
    with django_capture_on_commit_callbacks(execute=True):
        product_save(product=moved)
    assert [_count(mall.women, b) for b in brands] == [2, 4, 4]
    assert [_count(mall.women, b) for b in brands] == [_counted(mall.women, b) for b in brands]


def test_category_page_pager_follows_the_maintained_count(client, mall, ordos_visitor, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "CATALOG_PAGE_SIZE": 4}
    html = client.get(category_url(mall.women.id, mall.women.name)).content.decode()
    # 10 goods in 女装, 4 a page: pages 1, 2 and 3, the last with two cards.
    assert 'href="?page=3"' in html and 'href="?page=4"' not in html
    last = client.get(category_url(mall.women.id, mall.women.name) + "?page=3")
    assert last.content.decode().count('class="pcard"') == 2


def _sellable_by_the_bag(sku_ids: list[int]) -> dict[int, bool]:
    states = sku_states(sku_ids=sku_ids)
    return {sku_id: states[sku_id].problem(1) == Problem.NONE for sku_id in sku_ids}


def _availability(product: Product, mall):
    sku_ids = list(product.skus.order_by("id").values_list("id", flat=True))
    ordos = mall.store_near.city
    found = product_availability(
        product_id=product.id,
        sku_ids=sku_ids,
        city_code=ordos.code,
        latitude=ordos.latitude,
        longitude=ordos.longitude,
    )
    return sku_ids, found


def test_product_availability_agrees_with_the_bag(mall):
    product = mall.products[3]
    sku_ids, found = _availability(product, mall)
    assert found.sellable == _sellable_by_the_bag(sku_ids) == dict.fromkeys(sku_ids, True)
    assert found.city_units == dict.fromkeys(sku_ids, 5)
    assert found.seller is not None and found.seller.store == mall.store_near

    # Sold out of one SKU: the other still sells.
    Stock.objects.filter(sku_id=sku_ids[0]).update(reserved=5)
    sku_ids, found = _availability(product, mall)
    assert found.sellable == _sellable_by_the_bag(sku_ids) == {sku_ids[0]: False, sku_ids[1]: True}
    assert found.city_units == {sku_ids[0]: 0, sku_ids[1]: 5}

    # The only store with stock closes: units elsewhere are none, the seller moves.
    Store.objects.filter(id=mall.store_near.id).update(is_active=False)
    sku_ids, found = _availability(product, mall)
    assert found.sellable == _sellable_by_the_bag(sku_ids) == dict.fromkeys(sku_ids, False)
    assert found.city_units == {}
    assert found.seller is not None and found.seller.store != mall.store_near

    # No open store lists it any more.
    Store.objects.filter(id=mall.store_near.id).update(is_active=True)
    StoreListing.objects.filter(product=product).update(is_listed=False)
    sku_ids, found = _availability(product, mall)
    assert found.sellable == _sellable_by_the_bag(sku_ids) == dict.fromkeys(sku_ids, False)
    assert found.seller is None and found.city_units == {}


@pytest.mark.parametrize(
    ("query", "changes"),
    [
        ("", {"sort": "price"}),
        ("sort=price&page=3", {"page": 4}),
        ("sort=price&page=3", {"sort": "newest"}),
        ("q=羊绒 围巾&brand=2&page=2", {"brand": None}),
        ("tag=a&tag=b&page=2", {"sort": "-price"}),
        ("tag=a&tag=b", {"tag": "c"}),
        ("q=a%26b&x=", {"page": 2}),
        ("sort=price&page=2", {"brand": 12}),
        ("", {"brand": -3, "page": 0}),
        ("", {"a b": 5, "品牌": 7, "on": True}),
    ],
)
def test_querystring_links_equal_the_query_dict_ones(query, changes):
    """The links are built from the query encoded once; a QueryDict copy gives the same address."""
    request = RequestFactory().get("/?" + query)
    expected = QueryDict(query, mutable=True)
    if "page" not in changes:
        expected.pop("page", None)
    for key, value in changes.items():
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = str(value)
    assert querystring(request, **changes) == "?" + expected.urlencode()
    assert querystring(request, **changes) == "?" + urlencode(list(expected.lists()), doseq=True)


def test_a_page_reads_the_category_tree_once(client, mall, ordos_visitor):
    """The view, the list, the breadcrumbs and the menu share the tree the page read; the
    next pages take the process's copy of it."""
    women = category_url(mall.women.id, mall.women.name)
    product = mall.products[0]
    for address in (f"{women}?brand={mall.erdos.id}", f"/product/{product.id}/"):
        cache.clear()
        client.get(address)  # the shared blocks, as every visitor finds them
        forget_all()
        joined = "&" if "?" in address else "?"
        for n, builds in ((1, 1), (2, 0)):
            with mock.patch.object(CategoryTree, "build", wraps=CategoryTree.build) as built:
                assert client.get(f"{address}{joined}n={n}").status_code == 200
            assert built.call_count == builds, (address, n)


def test_a_shared_block_is_read_once_in_a_process_and_retired_by_a_bump(db):
    """The process keeps its copy of a block, whose key holds the generations it shows: a
    bump of one retires the copy with the shared one."""
    computed: list[int] = []

    def compute() -> int:
        computed.append(len(computed) + 1)
        return computed[-1]

    with mock.patch.object(cache, "get_or_set", wraps=cache.get_or_set) as shared:
        assert shared_block("test", (CATALOGUE,), compute) == 1
        assert shared_block("test", (CATALOGUE,), compute) == 1
        assert shared.call_count == 1
        generations.bump([CATALOGUE])
        assert shared_block("test", (CATALOGUE,), compute) == 2
        assert shared_block("test", (LISTINGS,), compute) == 3  # other scopes, another key
    assert computed == [1, 2, 3]
