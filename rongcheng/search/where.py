"""The WHERE clause of the statements over the index written without the ORM
(filtered_page.py, facet_groups.py, best_sellers.py): its SQL depends only on which filters
are given (`Where`), written once per such shape; the filters' values are its parameters
(`where_params`)."""

from dataclasses import dataclass

from django.db import connection

from rongcheng.catalog.tree import CategoryTree
from rongcheng.search.backends import backend
from rongcheng.search.filters import SearchFilters
from rongcheng.search.models import SearchDocument
from rongcheng.search.query import key_value_is

TABLE = SearchDocument._meta.db_table


@dataclass(frozen=True)
class Where:
    vendor: str
    words: bool
    category: bool
    brand: bool
    attributes: int
    price_min: bool
    price_max: bool

    @classmethod
    def of(cls, filters: SearchFilters, text: str) -> "Where":
        """The shape of the filters; `text`: the backend's query text ("" for no keywords)."""
        return cls(
            vendor=connection.vendor,
            words=bool(text),
            category=filters.category_id is not None,
            brand=filters.brand_id is not None,
            attributes=len(filters.attributes),
            price_min=filters.price_min is not None,
            price_max=filters.price_max is not None,
        )

    def sql(self, alias: str) -> str:
        """Documents of the filters' type (products, but for a search of help articles) in the
        table under `alias` that meet every filter of the shape; the category is its subtree,
        one list parameter."""
        parts = [f"{alias}.doc_type = %s"]
        if self.category:
            parts.append(f"{alias}.category_id IN (%s)")
        if self.words:
            parts.append(backend().match_sql(alias))
        if self.brand:
            parts.append(f"{alias}.brand_id = %s")
        parts += [key_value_is(self.vendor, f"{alias}.key_values", 0, "")[0]] * self.attributes
        if self.price_min:
            parts.append(f"{alias}.price >= %s")
        if self.price_max:
            parts.append(f"{alias}.price <= %s")
        return " AND ".join(parts)


def where_params(filters: SearchFilters, text: str, tree: CategoryTree | None) -> list:
    """The parameters of `Where.of(filters, text).sql(…)`, in order; `tree` is read when the
    filters name a category."""
    params: list = [filters.doc_type]
    if filters.category_id is not None:
        assert tree is not None
        params.append(tree.subtree_ids(filters.category_id))
    if text:
        params.append(text)
    if filters.brand_id is not None:
        params.append(filters.brand_id)
    for attribute_id, value in filters.attributes:
        params += attribute_params(attribute_id, value)
    params += [bound for bound in (filters.price_min, filters.price_max) if bound is not None]
    return params


def attribute_params(attribute_id: int, value: str) -> list:
    """The parameters of one key-value condition of `Where.sql`."""
    return key_value_is(connection.vendor, "", attribute_id, value)[1]


def order_sql(ordering: tuple[str, ...], alias: str, *, ranking: bool = False) -> str:
    """ORDER BY text of an ordering (query.ORDERINGS) over the table under `alias`; where the
    statement is `ranking`, the relevance is a column of its select list, named bare."""
    return ", ".join(
        ("" if ranking and name.endswith("relevance") else f"{alias}.")
        + (f"{name[1:]} DESC" if name.startswith("-") else name)
        for name in ordering
    )
