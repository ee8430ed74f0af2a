"""A search narrowed to a category lists its page from one statement (filtered_page.py):
the same count, rows and order as the querysets of SearchHits give, for every sort, with
keywords or none, a brand, key attributes and a price range, on pages inside and past the
last, under the limit and past it (where relevance ranks the best sellers)."""

from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.search import selectors
from rongcheng.search.filtered_page import filtered_page
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.selectors import _clauses, _hits

pytestmark = pytest.mark.django_db


def _cases(shelf) -> list[SearchFilters]:
    erdos, collar, knit = shelf.turtleneck.brand_id, shelf.collar.id, shelf.knit.id
    return [
        SearchFilters(category_id=shelf.women.id),
        SearchFilters(q="羊绒", category_id=shelf.women.id),
        SearchFilters(q="yrs", category_id=shelf.sweaters.id, brand_id=erdos),
        SearchFilters(q="羊绒衫 粗针", category_id=shelf.women.id),
        SearchFilters(category_id=shelf.women.id, attributes=((collar, "高领"), (knit, "细针"))),
        SearchFilters(
            q="羊绒",
            category_id=shelf.sweaters.id,
            attributes=((collar, "荷叶领"),),
            price_min=Decimal("500"),
            price_max=Decimal("2000"),
        ),
        SearchFilters(q="皮鞋", category_id=shelf.women.id),
    ]


def _both(filters: SearchFilters, page: int | str, size: int):
    clauses = _clauses(filters)[1]
    ordering = SearchSort(filters.ordering)
    tree = category_tree()
    hits = _hits(filters, clauses, ordering, None, tree)
    expected = Paginator(hits, size).get_page(page)
    found, listed = filtered_page(
        filters=filters,
        clauses=clauses,
        ordering=ordering,
        page=page,
        size=size,
        limit=selectors.RESULTS_LIMIT,
        tree=tree,
    )
    return (
        (found, listed.number, listed.paginator.count, listed.object_list),
        (hits.found, expected.number, expected.paginator.count, list(expected.object_list)),
    )


@pytest.mark.parametrize("limit", [1000, 7], ids=["under the limit", "past the limit"])
def test_the_statement_lists_what_the_querysets_list(catalogue, monkeypatch, limit):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", limit)
    listed_some = 0
    for case in _cases(catalogue):
        for sort in ["", *SearchSort.values]:
            filters = case.with_changes(sort=sort)
            for page in (1, 2, 3, 99, "0", "x"):
                got, expected = _both(filters, page, size=3)
                assert got == expected, (filters, page)
                listed_some += bool(got[3])
    assert listed_some > 100  # the cases list products, not only empty pages


def test_the_page_and_its_count_are_one_statement(catalogue):
    filters = SearchFilters(q="羊绒", category_id=catalogue.women.id, sort=SearchSort.PRICE)
    clauses, tree = _clauses(filters)[1], category_tree()
    with CaptureQueriesContext(connection) as queries:
        found, listed = filtered_page(
            filters=filters,
            clauses=clauses,
            ordering=SearchSort.PRICE,
            page=2,
            size=3,
            limit=1000,
            tree=tree,
        )
    assert len(queries) == 1
    assert (listed.number, len(listed.object_list)) == (2, 3)
    assert found == listed.paginator.count > 6


def test_a_filtered_search_with_facets_runs_six_statements(catalogue):
    filters = SearchFilters(
        q="羊绒",
        category_id=catalogue.women.id,
        brand_id=catalogue.turtleneck.brand_id,
        attributes=((catalogue.collar.id, "高领"),),
    )
    category_tree()  # cached: read once per catalogue change, not per search
    with CaptureQueriesContext(connection) as queries:
        results = selectors.advanced_search(filters=filters)
    # The page with its count, the cards, the stores' and articles' counts, the key
    # attributes, the facets' grouped counts, the brands' names.
    assert len(queries) == 6
    assert results.total == len(results.page.object_list) > 0
    assert [facet.name for facet in results.facets.attributes] == ["领型", "针法"]
