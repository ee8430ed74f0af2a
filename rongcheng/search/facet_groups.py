"""The grouped counts behind the facets (facets.py), in one statement written once per
shape of the filters.

Two groupings of the matches: by category and brand (every filter but the brand), and, when
the category has key attributes, by key values (every filter but the attributes). Both read
the matches without those two filters, so with keywords they are read from the full-text
index once (a materialized CTE) and grouped twice; before, each grouping looked the words
up again. Otherwise the CTE is inlined: without keywords each grouping is answered by the
category's index on its own (index-only on PostgreSQL), and a single grouping (no category
with key attributes) reads the matches once anyway.
"""

from dataclasses import dataclass
from functools import lru_cache

from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.sql import Statement, fields
from rongcheng.search.backends import Clause, backend
from rongcheng.search.filters import SearchFilters
from rongcheng.search.kept_counts import kept
from rongcheng.search.models import SearchDocument
from rongcheng.search.query import key_value_is
from rongcheng.search.where import TABLE, Where, attribute_params, where_params

# The rows' columns: the facet (0 by category and brand, 1 by key values), category, brand,
# key values, count.
COLUMNS = [None, None, None, *fields(SearchDocument, "key_values"), None]


@dataclass(frozen=True)
class Shape:
    matches: Where  # every filter but the brand and the attributes
    brand: bool
    attributes: int
    by_values: bool


@lru_cache(maxsize=256)
def _statement(shape: Shape) -> Statement:
    # Kept only when two groupings read the matches of words: one grouping reads them once
    # anyway, and keeping a broad word's tens of thousands of matches costs more than that.
    shared = shape.matches.words and shape.by_values
    attributes = " AND ".join(
        [key_value_is(shape.matches.vendor, "m.key_values", 0, "")[0]] * shape.attributes
    )
    by_brand = f"""SELECT 0 AS facet, m.category_id, m.brand_id, NULL AS key_values,
            COUNT(*) AS n
        FROM m {f"WHERE {attributes}" if attributes else ""}
        GROUP BY m.category_id, m.brand_id"""  # noqa: S608 - names only: values are parameters
    by_values = f"""
        UNION ALL
        SELECT 1, NULL, NULL, m.key_values, COUNT(*)
        FROM m {"WHERE m.brand_id = %s" if shape.brand else ""}
        GROUP BY m.key_values"""  # noqa: S608
    return Statement(
        f"""WITH m AS {"MATERIALIZED" if shared else "NOT MATERIALIZED"} (
            SELECT d.category_id, d.brand_id, d.key_values
            FROM {TABLE} d WHERE {shape.matches.sql("d")}
        )
        {by_brand} {by_values if shape.by_values else ""}""",  # noqa: S608
        COLUMNS,
    )


def facet_groups(
    filters: SearchFilters,
    clauses: list[Clause],
    tree: CategoryTree,
    *,
    by_values: bool,
    keep: bool,
) -> tuple[list[tuple[int, int, int]], list[tuple[dict, int]]]:
    """(category id, brand id, count) with every filter but the brand, and, `by_values`,
    (key values, count) with every filter but the attributes; with `keep` (a broad search)
    read from or kept in the cache (kept_counts.py)."""
    text = backend().expression(clauses) if clauses else ""
    matched = filters.with_changes(brand_id=None, attributes=())
    shape = Shape(
        Where.of(matched, text), filters.brand_id is not None, len(filters.attributes), by_values
    )
    params = where_params(matched, text, tree)
    for attribute_id, value in filters.attributes:
        params += attribute_params(attribute_id, value)
    if by_values and filters.brand_id is not None:
        params.append(filters.brand_id)
    statement = _statement(shape)
    rows = kept((statement.sql, params), lambda: statement.rows(params), keep=keep)
    by_brand = [(category, brand, n) for facet, category, brand, _v, n in rows if facet == 0]
    by_value = [(values, n) for facet, _c, _b, values, n in rows if facet == 1]
    return by_brand, by_value
