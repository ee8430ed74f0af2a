"""Both backends answer the same questions with the same results on the same data.

The cases run on the database of the run (SQLite by default); the PostgreSQL test runs them
again when DATABASE_URL points to PostgreSQL, asserting the very same answers.
"""

from decimal import Decimal

import pytest
from django.db import connection

from rongcheng.search.backends import Clause, postgres, sqlite
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.selectors import advanced_search, suggest
from rongcheng.search.text import Keyword, keywords


def test_sqlite_expression():
    clauses = [Clause(k) for k in keywords("羊绒衫 yrs sweaters")] + [
        Clause(Keyword("高领", ("高领",)), title_only=True),
        Clause(Keyword("开", ("开",)), prefix=True),
    ]
    assert sqlite.expression(clauses) == (
        '("羊绒衫") AND ("yrs" *) AND (("sweater") OR "sweaters" *)'
        ' AND ({title_terms} : ("高领")) AND ("开" *)'
    )


def test_postgres_expression():
    clauses = [Clause(k) for k in keywords("羊绒衫 yrs sweaters")] + [
        Clause(Keyword("高领", ("高领",)), title_only=True),
        Clause(Keyword("v领", ("v", "领")), prefix=True),
    ]
    assert postgres.expression(clauses) == (
        "('羊绒衫') & ('yrs':*) & (('sweater') | 'sweaters':*) & ('高领':A) & ('v' & '领':*)"
    )


def test_any_of_the_clauses():
    clauses = [Clause(k) for k in keywords("羊绒 v领")]
    assert sqlite.expression(clauses, every=False) == '("羊绒") OR ("v" AND "领")'
    assert postgres.expression(clauses, every=False) == "('羊绒') | ('v' & '领')"


ALL = ["女士圆领羊绒开衫", "女士高领羊毛衫", "女士高领羊绒衫", "山羊绒双面大衣", "羊绒围巾"]
SWEATERS = ["女士圆领羊绒开衫", "女士高领羊毛衫", "女士高领羊绒衫"]
UNORDERED = [
    ("羊绒", ALL),
    ("羊绒衫", SWEATERS),
    ("山羊绒", ["山羊绒双面大衣"]),
    # Pinyin spells names and brands: the wool sweater is no 羊绒 (yangrong) by name.
    ("yangrong", ["女士圆领羊绒开衫", "女士高领羊绒衫", "山羊绒双面大衣", "羊绒围巾"]),
    ("yrwj", ["羊绒围巾"]),
    ("sweaters", ["女士高领羊绒衫"]),
    ("CASHMERE", ["女士高领羊绒衫", "山羊绒双面大衣"]),
    ("高领 羊绒", ["女士高领羊毛衫", "女士高领羊绒衫"]),
    ("围巾 大衣", []),
    ("披肩", ["羊绒围巾"]),
    ("衫", SWEATERS),
]
BY_PRICE = ["羊绒围巾", "女士高领羊毛衫", "女士圆领羊绒开衫", "女士高领羊绒衫", "山羊绒双面大衣"]
BY_SALES = ["羊绒围巾", "女士圆领羊绒开衫", "女士高领羊毛衫", "女士高领羊绒衫", "山羊绒双面大衣"]
ORDERED = [
    (SearchFilters(q="羊绒", sort=SearchSort.PRICE), BY_PRICE),
    (SearchFilters(q="羊绒", sort=SearchSort.PRICE_DESC), BY_PRICE[::-1]),
    # Equal sales (50) fall back to the newer product first.
    (SearchFilters(q="羊绒", sort=SearchSort.SALES), BY_SALES),
    (SearchFilters(q="高领", name="羊绒"), ["女士高领羊绒衫"]),
    (
        SearchFilters(q="yangrong", price_max=Decimal("1000"), sort=SearchSort.NEWEST),
        ["女士圆领羊绒开衫", "羊绒围巾"],
    ),
]


def _names(filters: SearchFilters) -> list[str]:
    return [hit.card.name for hit in advanced_search(filters=filters).page]


def _assert_cases(shelf) -> None:
    for q, expected in UNORDERED:
        assert sorted(_names(SearchFilters(q=q))) == expected, q
    for filters, expected in ORDERED:
        assert _names(filters) == expected, filters
    # A title match outranks a match in the body (the category name, for the cardigan).
    assert _names(SearchFilters(q="高领"))[:2] in (
        ["女士高领羊绒衫", "女士高领羊毛衫"],
        ["女士高领羊毛衫", "女士高领羊绒衫"],
    )
    collar = SearchFilters(
        q="羊绒", category_id=shelf.women.id, attributes=((shelf.collar.id, "高领"),)
    )
    facets = advanced_search(filters=collar).facets
    assert [(v.label, v.count) for v in facets.attributes[0].values] == [("高领", 2), ("圆领", 1)]
    assert [(s.kind, s.text) for s in suggest(q="羊绒 wei")] == [("product", "羊绒围巾")]
    assert [(s.kind, s.text) for s in suggest(q="东")] == [("store", "绒城购东胜直营店")]


@pytest.mark.django_db
def test_same_answers_on_this_database(shelf):
    _assert_cases(shelf)


@pytest.mark.postgres
@pytest.mark.django_db
def test_same_answers_on_postgresql(shelf):
    assert connection.vendor == "postgresql"
    _assert_cases(shelf)
