"""The results page of a product search narrowed to a category: the capped count and the
page's rows in one statement, its SQL written once per shape of the filters.

A category bounds the matches, so the broad-word path of SearchHits (the ranking kept in the
cache) is not needed there; building its two querysets cost more CPU than PostgreSQL spent
running them. Same rows, same order and same count as SearchHits
(search/tests/test_filtered_page.py): sorted by relevance, the RESULTS_LIMIT best sellers
among the matches are ranked, which are all of them up to the limit.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.core.paginator import Page, Paginator

from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.sql import Statement
from rongcheng.search.backends import Clause, backend
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.query import ORDERINGS, ROW_FIELDS
from rongcheng.search.where import TABLE, Where, where_params


@dataclass(frozen=True)
class Shape:
    """What the SQL of a filtered search depends on; the values are its parameters."""

    where: Where
    ordering: tuple[str, ...]  # ORDERINGS of the sort, "relevance" first when ranked


def _order(ordering: tuple[str, ...], alias: str, *, ranking: bool = False) -> str:
    """ORDER BY text; where the page is `ranking`, the relevance is a column of its select
    list, named bare."""
    return ", ".join(
        ("" if ranking and name.endswith("relevance") else f"{alias}.")
        + (f"{name[1:]} DESC" if name.startswith("-") else name)
        for name in ordering
    )


@lru_cache(maxsize=256)
def _statement(shape: Shape) -> Statement:
    """The capped count, then the page's rows (none on a page past the last): one row each,
    the count repeated. With keywords the matches are read from the full-text index once (a
    materialized CTE of their ids and sort keys), not once for the count and again for the
    page; without, the category's index answers each of them best on its own (inlined)."""
    sort_keys = ("sales_count", "price", "launch_date", "object_id")
    ranked = shape.ordering[0] == "-relevance"
    if ranked:
        picked = f"""SELECT m.id, m.sales_count, m.object_id FROM m
            ORDER BY {_order(ORDERINGS[SearchSort.SALES], "m")} LIMIT %s"""  # noqa: S608
        page = f"""
            SELECT {", ".join(f"d.{column}" for column in ROW_FIELDS)},
                {backend().rank_sql("d")} AS relevance, q.sales_count
            FROM ({picked}) q JOIN {TABLE} d ON d.id = q.id
            ORDER BY {_order(shape.ordering, "d", ranking=True)} LIMIT %s OFFSET %s"""  # noqa: S608 - names only: the values are parameters
    else:
        page = f"""
            SELECT {", ".join(f"d.{column}" for column in ROW_FIELDS if column != "object_id")},
                {", ".join(f"q.{key}" for key in sort_keys)}
            FROM (
                SELECT * FROM m ORDER BY {_order(shape.ordering, "m")} LIMIT %s OFFSET %s
            ) q JOIN {TABLE} d ON d.id = q.id"""  # noqa: S608
    return Statement(
        f"""WITH m AS {"MATERIALIZED" if shape.where.words else "NOT MATERIALIZED"} (
            SELECT d.id, {", ".join(f"d.{key}" for key in sort_keys)}
            FROM {TABLE} d WHERE {shape.where.sql("d")}
        )
        SELECT c.found, {", ".join(f"p.{column}" for column in ROW_FIELDS)}
        FROM (SELECT COUNT(*) AS found FROM (SELECT 1 AS one FROM m LIMIT %s) capped) c
        LEFT JOIN ({page}) p ON 1 = 1
        ORDER BY {_order(shape.ordering, "p")}"""  # noqa: S608
    )


def filtered_page(
    *,
    filters: SearchFilters,
    clauses: list[Clause],
    ordering: SearchSort,
    page: int | str,
    size: int,
    limit: int,
    tree: CategoryTree,
) -> tuple[int, Page]:
    """How many products match (counted up to `limit` + 1) and the page of their rows
    (dicts of ROW_FIELDS), numbered as Paginator.get_page numbers it. `ordering`: the sort
    in force (relevance only with keywords)."""
    assert filters.category_id is not None
    ranked = ordering == SearchSort.RELEVANCE
    text = backend().expression(clauses) if clauses else ""
    shape = Shape(Where.of(filters, text), ORDERINGS[ordering])
    where = where_params(filters, text, tree)
    statement = _statement(shape)

    def read(number: int) -> tuple[int, list[dict]]:
        page = [text, limit] if ranked else []
        rows = statement.rows([*where, limit + 1, *page, size, (number - 1) * size])
        listed = [dict(zip(ROW_FIELDS, row[1:], strict=True)) for row in rows if row[1] is not None]
        return rows[0][0], listed

    # The page asked for, as a Paginator reads it before the count; read again in the rare
    # case that the count moves it (past the last page, or below the first).
    guess = Paginator(range(limit), size).get_page(page).number
    found, rows = read(guess)
    paginator = Paginator(range(min(found, limit)), size)
    number = paginator.get_page(page).number
    if number != guess:
        found, rows = read(number)
    # The last page ends at the limit, as the Paginator slices it.
    return found, Page(rows[: paginator.count - (number - 1) * size], number, paginator)
