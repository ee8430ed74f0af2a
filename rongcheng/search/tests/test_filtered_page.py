"""A search narrowed to a category, or without one for narrow words, lists its page from one
statement (filtered_page.py): the same count, rows and order as the querysets of SearchHits
give, for every sort, with keywords or none, a brand, key attributes and a price range, on
pages inside and past the last, under the limit and past it (where relevance ranks the best
sellers). Without a category, PostgreSQL's estimates choose it or the walk of SearchHits."""

from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.search import filtered_page as filtered_page_module
from rongcheng.search import selectors
from rongcheng.search.filtered_page import filtered_page, sorting_every_match_pays
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
        SearchFilters(q="羊绒"),
        SearchFilters(q="高领 粗针"),
        SearchFilters(q="yrs", brand_id=erdos, price_max=Decimal("2000")),
    ]


def _both(filters: SearchFilters, page: int | str, size: int):
    clauses = _clauses(filters)[1]
    ordering = SearchSort(filters.ordering)
    tree = category_tree() if filters.category_id is not None else None
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


def _sorts(q: str, limit: int) -> bool:
    filters = SearchFilters(q=q)
    return sorting_every_match_pays(filters=filters, clauses=_clauses(filters)[1], limit=limit)


@pytest.mark.postgres
def test_the_planner_s_estimates_choose_between_the_walk_and_the_sort(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")  # the statistics autovacuum keeps
    # All 65 products match 羊绒: the walk finds ten among the first ten, where the sort would
    # read 65 rows.
    assert not _sorts("羊绒", limit=10)
    # 8 match 高领 粗针 (6 by the planner's estimate): the walk would test about 100 products
    # for ten, the sort reads 8 rows.
    assert _sorts("高领 粗针", limit=10)
    # For one, the walk tests about ten.
    assert not _sorts("高领 粗针", limit=1)


def _statements(q: str) -> tuple[list[str], selectors.SearchResults]:
    """The statements a search without a category runs, and its results."""
    with CaptureQueriesContext(connection) as queries:
        results = selectors.advanced_search(filters=SearchFilters(q=q), with_facets=False)
    return [query["sql"] for query in queries.captured_queries], results


def _first_words(statements: list[str]) -> list[str]:
    return [sql.split(None, 1)[0] for sql in statements]


@pytest.mark.postgres
def test_without_a_category_narrow_words_are_sorted_and_broad_ones_walked(catalogue, monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    statements, results = _statements("高领 粗针")
    # The estimates, the page with its count (every match sorted), the cards, the other
    # types' counts.
    assert _first_words(statements) == ["EXPLAIN", "WITH", "SELECT", "SELECT"]
    assert "WITH m AS MATERIALIZED" in statements[1]
    assert results.total == len(results.page.object_list) == 8
    statements, results = _statements("羊绒")
    # The estimates, the walk to the eleven best sellers with the ranking of ten (kept), the
    # page's rows, the cards, the other types' counts.
    assert _first_words(statements) == ["EXPLAIN", "WITH", "SELECT", "SELECT", "SELECT"]
    assert "WITH w AS MATERIALIZED" in statements[1]
    assert (results.total, results.more) == (10, True)


class _FoldedPlan:
    """An estimate whose plan is one node: the shape a planner gives when it folds a branch."""

    def rows(self, params):
        return [([{"Plan": {"Node Type": "Result", "Plan Rows": 0}}],)]


@pytest.mark.postgres
def test_a_plan_of_another_shape_walks(catalogue, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    assert _sorts("高领 粗针", limit=1000)
    monkeypatch.setattr(filtered_page_module, "_estimate_statement", lambda where: _FoldedPlan())
    assert not _sorts("高领 粗针", limit=1000)
