"""The best sellers among a broad search's matches, ranked by relevance, and how many match:
one walk of the sales index, its SQL written once per shape of the filters.

Sorted by relevance past the limit, a search ranks the `limit` best sellers among its
matches. For words found in much of the catalogue they come soonest from the sales index,
each document tested in order of sales (filtered_page.sorting_every_match_pays chooses the
walk). Walking to one past the limit also says whether more match, so no count is run;
fewer are every match, the walk having reached the end of the index. An answer past the
limit is kept until the index is next written (kept_counts.py), so the next page or visitor
reads only its rows.
"""

from functools import lru_cache

from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.sql import Statement
from rongcheng.search.backends import Clause, backend
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.kept_counts import kept
from rongcheng.search.query import ORDERINGS
from rongcheng.search.where import TABLE, Where, order_sql, where_params


@lru_cache(maxsize=64)
def _statement(where: Where) -> Statement:
    """The walk, materialized for both its count and the ranking of all but its last: a row
    per ranked id, each with the count (the count alone when nothing matches)."""
    return Statement(
        f"""WITH w AS MATERIALIZED (
            SELECT d.id, d.sales_count, d.object_id FROM {TABLE} d WHERE {where.sql("d")}
            ORDER BY {order_sql(ORDERINGS[SearchSort.SALES], "d")} LIMIT %s
        )
        SELECT c.found, r.id FROM (SELECT COUNT(*) AS found FROM w) c
        LEFT JOIN (
            SELECT d.id, {backend().rank_sql("d")} AS relevance, q.sales_count, q.object_id
            FROM (SELECT * FROM w ORDER BY {order_sql(ORDERINGS[SearchSort.SALES], "w")} LIMIT %s) q
            JOIN {TABLE} d ON d.id = q.id
        ) r ON 1 = 1
        ORDER BY {order_sql(ORDERINGS[SearchSort.RELEVANCE], "r")}"""  # noqa: S608 - names only: the values are parameters
    )


def ranked_best_sellers(
    *, filters: SearchFilters, clauses: list[Clause], limit: int, tree: CategoryTree | None
) -> tuple[int, list[int]]:
    """How many documents of the filters' type match, counted up to `limit` + 1, and the ids
    of the `limit` best sellers among them in order of relevance (ORDERINGS[RELEVANCE])."""
    text = backend().expression(clauses)
    statement = _statement(Where.of(filters, text))
    params = [*where_params(filters, text, tree), limit + 1, text, limit]

    def read() -> list:
        # Planned for its words on every run: the walk pays for broad words only.
        rows = statement.rows(params, planned_per_run=True)
        return [rows[0][0], [row[1] for row in rows if row[1] is not None]]

    # Past the limit the answer is kept; below it every match is ranked on each visit, as
    # they are few (and a broad word's walk through few of them is a misestimate).
    found, ids = kept(
        (statement.sql, *params), read, keep=True, worth_keeping=lambda answer: answer[0] > limit
    )
    return found, ids
