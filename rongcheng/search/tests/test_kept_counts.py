"""A broad search's facet counts and ranking are kept until the index is written, and are
exact: a write that has committed retires them. The limit is lowered so that the shelf's 羊绒
(five products) is a broad search."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.models import Product
from rongcheng.search import selectors
from rongcheng.search.filters import SearchFilters
from rongcheng.search.selectors import advanced_search, quick_search
from rongcheng.search.services import product_counters_refresh, product_index_update

pytestmark = pytest.mark.django_db

# What the facets' grouped counts (facet_groups.py) group by first.
FACETS = "GROUP BY m.category_id"


@pytest.fixture
def limit_of_one(monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 1)


def _brands(filters: SearchFilters) -> tuple[list[tuple[str, int]], int]:
    """The brand facet, and how many grouped counts the search ran to make its facets."""
    with CaptureQueriesContext(connection) as queries:
        facets = advanced_search(filters=filters).facets
    grouped = sum(FACETS in query["sql"] for query in queries.captured_queries)
    return sorted((value.label, value.count) for value in facets.brands), grouped


def test_a_broad_search_counts_its_facets_once(shelf, limit_of_one):
    filters = SearchFilters(q="羊绒")
    assert _brands(filters) == ([("绒城", 3), ("鄂尔多斯", 2)], 1)
    assert _brands(filters) == ([("绒城", 3), ("鄂尔多斯", 2)], 0)
    # Another filter is another count.
    in_women = filters.with_changes(category_id=shelf.women.id)
    assert _brands(in_women) == ([("绒城", 2), ("鄂尔多斯", 2)], 1)  # brands and attributes
    assert _brands(in_women) == ([("绒城", 2), ("鄂尔多斯", 2)], 0)


def test_a_narrow_search_counts_its_facets_every_time(shelf):
    filters = SearchFilters(q="羊绒")
    assert _brands(filters) == ([("绒城", 3), ("鄂尔多斯", 2)], 1)
    assert _brands(filters) == ([("绒城", 3), ("鄂尔多斯", 2)], 1)


def test_a_committed_index_write_retires_the_kept_counts(
    shelf, limit_of_one, django_capture_on_commit_callbacks
):
    filters = SearchFilters(q="羊绒")
    assert _brands(filters)[0] == [("绒城", 3), ("鄂尔多斯", 2)]
    Product.objects.filter(pk=shelf.scarf.pk).update(brand=shelf.coat.brand)
    with django_capture_on_commit_callbacks(execute=True):
        assert product_index_update(product_ids=[shelf.scarf.pk]) == 1
    assert _brands(filters) == ([("绒城", 2), ("鄂尔多斯", 3)], 1)


def test_an_unchanged_document_keeps_the_counts(
    shelf, limit_of_one, django_capture_on_commit_callbacks
):
    filters = SearchFilters(q="羊绒")
    _brands(filters)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert product_index_update(product_ids=[shelf.scarf.pk]) == 0
    assert callbacks == []
    assert _brands(filters) == ([("绒城", 3), ("鄂尔多斯", 2)], 0)


def test_refreshed_prices_retire_the_kept_counts(
    shelf, limit_of_one, django_capture_on_commit_callbacks
):
    # Up to 1,000 yuan: the cardigan, the pullover and the scarf, all 绒城.
    filters = SearchFilters(q="羊绒", price_max=Decimal("1000"))
    assert _brands(filters)[0] == [("绒城", 3)]
    Product.objects.filter(pk=shelf.coat.pk).update(price=Decimal("300.00"))
    with django_capture_on_commit_callbacks(execute=True):
        product_counters_refresh()
    assert _brands(filters) == ([("绒城", 3), ("鄂尔多斯", 1)], 1)


def _best(q: str) -> tuple[list[str], int]:
    """The names listed, and how many statements walked the best sellers to rank them."""
    with CaptureQueriesContext(connection) as queries:
        names = sorted(hit.card.name for hit in quick_search(q=q).page)
    walks = sum("WITH w AS MATERIALIZED" in query["sql"] for query in queries.captured_queries)
    return names, walks


def test_a_broad_search_keeps_its_ranking_until_the_index_changes(
    shelf, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 2)
    # Walked, as a word in most of a large catalogue is (test_filtered_page.py).
    monkeypatch.setattr(selectors, "sorting_every_match_pays", lambda **_: False)
    # The two best sellers of 羊绒: the scarf (200 sold) and the cardigan (80).
    assert _best("羊绒") == (["女士圆领羊绒开衫", "羊绒围巾"], 1)
    assert _best("羊绒") == (["女士圆领羊绒开衫", "羊绒围巾"], 0)
    Product.objects.filter(pk=shelf.coat.pk).update(sales_count=500)
    with django_capture_on_commit_callbacks(execute=True):
        product_counters_refresh()
    assert _best("羊绒") == (["山羊绒双面大衣", "羊绒围巾"], 1)
