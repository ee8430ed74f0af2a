"""The results page of a product search narrowed to a category, or sorted by relevance with
words narrower than walking the sales index pays for: the capped count and the page's rows
in one statement, its SQL written once per shape of the filters.

A category bounds the matches, so the broad word's walk (best_sellers.py, its answer kept in
the cache) is not needed there; building the querysets of SearchHits cost more CPU than
PostgreSQL spent running them. Same rows, same order and same count as SearchHits
(search/tests/test_filtered_page.py): sorted by relevance, the RESULTS_LIMIT best sellers
among the matches are ranked, which are all of them up to the limit.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db import connection

from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.sql import Statement
from rongcheng.search.backends import Clause, backend
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.models import DocType
from rongcheng.search.query import ORDERINGS, ROW_FIELDS
from rongcheng.search.where import TABLE, Where, order_sql, where_params


@dataclass(frozen=True)
class Shape:
    """What the SQL of a filtered search depends on; the values are its parameters."""

    where: Where
    ordering: tuple[str, ...]  # ORDERINGS of the sort, "relevance" first when ranked


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
            ORDER BY {order_sql(ORDERINGS[SearchSort.SALES], "m")} LIMIT %s"""  # noqa: S608
        page = f"""
            SELECT {", ".join(f"d.{column}" for column in ROW_FIELDS)},
                {backend().rank_sql("d")} AS relevance, q.sales_count
            FROM ({picked}) q JOIN {TABLE} d ON d.id = q.id
            ORDER BY {order_sql(shape.ordering, "d", ranking=True)} LIMIT %s OFFSET %s"""  # noqa: S608 - names only: the values are parameters
    else:
        page = f"""
            SELECT {", ".join(f"d.{column}" for column in ROW_FIELDS if column != "object_id")},
                {", ".join(f"q.{key}" for key in sort_keys)}
            FROM (
                SELECT * FROM m ORDER BY {order_sql(shape.ordering, "m")} LIMIT %s OFFSET %s
            ) q JOIN {TABLE} d ON d.id = q.id"""  # noqa: S608
    return Statement(
        f"""WITH m AS {"MATERIALIZED" if shape.where.words else "NOT MATERIALIZED"} (
            SELECT d.id, {", ".join(f"d.{key}" for key in sort_keys)}
            FROM {TABLE} d WHERE {shape.where.sql("d")}
        )
        SELECT c.found, {", ".join(f"p.{column}" for column in ROW_FIELDS)}
        FROM (SELECT COUNT(*) AS found FROM (SELECT 1 AS one FROM m LIMIT %s) capped) c
        LEFT JOIN ({page}) p ON 1 = 1
        ORDER BY {order_sql(shape.ordering, "p")}"""  # noqa: S608
    )


def filtered_page(
    *,
    filters: SearchFilters,
    clauses: list[Clause],
    ordering: SearchSort,
    page: int | str,
    size: int,
    limit: int,
    tree: CategoryTree | None,
) -> tuple[int, Page]:
    """How many products match (counted up to `limit` + 1) and the page of their rows
    (dicts of ROW_FIELDS), numbered as Paginator.get_page numbers it. `ordering`: the sort
    in force (relevance only with keywords); `tree`: the category tree, read once per
    search, when the filters name a category."""
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


# Reading and sorting a match costs about what walking the sales index spends testing two
# documents (bench/BENCHMARKS.md, 100,000 products).
MATCH_SORTED_IN_DOCUMENTS_WALKED = 2


@lru_cache(maxsize=64)
def _estimate_statement(where: Where) -> Statement:
    """The planner's estimates of the products meeting `where`, then of every product."""
    return Statement(
        f"""EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} d WHERE {where.sql("d")}
        UNION ALL SELECT 1 FROM {TABLE} d WHERE d.doc_type = %s"""  # noqa: S608 - names only
    )


def sorting_every_match_pays(*, filters: SearchFilters, clauses: list[Clause], limit: int) -> bool:
    """Whether a product search without a category, sorted by relevance, should rank the
    `limit` best sellers among its matches with this module's statement, which reads every
    match and sorts them, rather than with best_sellers.py, which walks the sales index
    testing each document until one past `limit` match: about `limit` × products ÷ matches
    documents.

    The walk pays for a broad word (羊绒, in 62 % of the products: 1,600 tested), the sort for
    narrower words (two words in 5 %: 4,800 read, where the walk tests 20,000). PostgreSQL
    prices the walk's test of a document as nearly free and walks for both, so its estimates
    of the two counts decide here. SQLite gives none; its walk tests a document against the
    matches' ids it collected first, which costs little: it walks."""
    if connection.vendor != "postgresql":
        return False
    text = backend().expression(clauses)
    where = Where.of(filters, text)
    params = [*where_params(filters, text, tree=None), DocType.PRODUCT]
    ((plan,),) = _estimate_statement(where).rows(params)
    estimates = [node["Plan Rows"] for node in plan[0]["Plan"].get("Plans", ())]
    if len(estimates) != 2:  # a plan of another shape than the union's two scans: walk
        return False
    matches, products = estimates
    return matches * matches * MATCH_SORTED_IN_DOCUMENTS_WALKED < limit * products
