"""Facets of advanced search (SRCH-2): subcategories, brands and the chosen category's key
attributes, each value with the number of results its link leads to.

The counts are exact. A broad search's grouped counts are kept per index generation
(kept_counts.py): they read every match, and the same broad words come back often."""

from dataclasses import dataclass
from itertools import groupby

from rongcheng.catalog.errors import CategoryNotFound
from rongcheng.catalog.models import Attribute, AttributeOption, Brand
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryNode, CategoryTree
from rongcheng.core.sql import Statement
from rongcheng.core.translation import localized, pick
from rongcheng.search.backends import Clause
from rongcheng.search.facet_groups import facet_groups
from rongcheng.search.filters import SearchFilters

MAX_BRANDS = 30


@dataclass(frozen=True)
class FacetValue:
    value: str  # the category or brand id, or the attribute value
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class AttributeFacet:
    attribute_id: int
    name: str
    values: list[FacetValue]


@dataclass(frozen=True)
class KeyOption:
    value: str
    value_en: str


@dataclass(frozen=True)
class KeyAttribute:
    """A key attribute of the chosen category's product type, with its options in order."""

    id: int
    name: str
    name_en: str
    options: tuple[KeyOption, ...]


# The key attributes and their options in one statement (a queryset and its prefetch took
# two, and building them cost more CPU than running them).
_KEY_ATTRIBUTES = Statement(
    f"""SELECT a.id, a.name, a.name_en, o.value, o.value_en
    FROM {Attribute._meta.db_table} a
    LEFT JOIN {AttributeOption._meta.db_table} o ON o.attribute_id = a.id
    WHERE a.product_type_id = %s AND a.is_key
    ORDER BY a.position, a.id, o.position, o.id"""  # noqa: S608
)


def key_attributes(category_id: int, tree: CategoryTree) -> list[KeyAttribute]:
    """The key attributes of the category's product type (SRCH-2), ordered as the catalogue
    orders them."""
    type_id = tree.product_type_id(category_id)
    if type_id is None:
        return []
    rows = _KEY_ATTRIBUTES.rows([type_id])
    return [
        KeyAttribute(
            pk,
            name,
            name_en,
            tuple(KeyOption(v, v_en) for *_a, v, v_en in options if v is not None),
        )
        for (pk, name, name_en), options in groupby(rows, key=lambda row: row[:3])
    ]


@dataclass(frozen=True)
class Facets:
    category_path: list[CategoryNode]  # the chosen category and its parents
    categories: list[FacetValue]  # the chosen category's children (the roots without one)
    brands: list[FacetValue]
    attributes: list[AttributeFacet]


def _category_and_brand_counts(rows: list[tuple[int, int, int]], filters: SearchFilters):
    """The matches (every filter but the brand) counted by category and brand: the brand
    facet sums them by brand, the category facet takes the chosen brand's rows."""
    by_category: dict[int, int] = {}
    by_brand: dict[int, int] = {}
    for category_id, brand_id, count in rows:
        by_brand[brand_id] = by_brand.get(brand_id, 0) + count
        if filters.brand_id is None or brand_id == filters.brand_id:
            by_category[category_id] = by_category.get(category_id, 0) + count
    return by_category, by_brand


def _category_facet(by_category: dict[int, int], filters: SearchFilters, tree: CategoryTree):
    """Counts per child of the chosen category, each the sum over that child's subtree."""
    chosen = filters.category_id
    children = tree.get(chosen).children if chosen is not None else tree.roots
    totals: dict[int, int] = {}
    for category_id, count in by_category.items():
        try:
            path = [node.id for node in tree.path(category_id)]
        except CategoryNotFound:  # switched off since the product was indexed
            continue
        if chosen is None:
            depth = 0
        elif chosen in path:
            depth = path.index(chosen) + 1
        else:
            continue
        if depth < len(path):  # products right in the chosen category have no child to count
            totals[path[depth]] = totals.get(path[depth], 0) + count
    path_nodes = tree.path(chosen) if chosen is not None else []
    values = [
        FacetValue(str(node.id), localized(node), totals[node.id])
        for node in children
        if totals.get(node.id)
    ]
    return path_nodes, values


def _brand_facet(by_brand: dict[int, int], filters: SearchFilters):
    counts = sorted(by_brand.items(), key=lambda item: (-item[1], item[0]))[:MAX_BRANDS]
    names = {
        pk: pick(name, name_latin)
        for pk, name, name_latin in Brand.objects.filter(
            id__in=[brand_id for brand_id, _n in counts]
        ).values_list("id", "name", "name_latin")
    }
    return [
        FacetValue(str(brand_id), names[brand_id], count, brand_id == filters.brand_id)
        for brand_id, count in counts
        if brand_id in names
    ]


def _value_counts(
    rows: list[tuple[dict, int]], filters: SearchFilters, attribute_ids: list[int]
) -> dict[int, dict[str, int]]:
    """The matches (every filter but the attributes) counted by their key values; each
    attribute's values count the groups that meet the other chosen attributes, as the
    value's link would list them."""
    chosen = {str(attribute_id): value for attribute_id, value in filters.attributes}
    counts: dict[int, dict[str, int]] = {}
    for values, count in rows:
        unmet = {key for key, value in chosen.items() if values.get(key) != value}
        for attribute_id in attribute_ids:
            key = str(attribute_id)
            if key in values and unmet <= {key}:
                by_value = counts.setdefault(attribute_id, {})
                by_value[values[key]] = by_value.get(values[key], 0) + count
    return counts


def _attribute_facet(attribute: KeyAttribute, counts: dict[str, int], chosen: str | None):
    options = attribute.options
    labels = {option.value: localized(option, "value") for option in options}
    listed = [option.value for option in options]
    extra = sorted((v for v in counts if v not in listed), key=lambda v: (-counts[v], v))
    values = [
        FacetValue(value, labels.get(value, value), counts.get(value, 0), value == chosen)
        for value in [*listed, *extra]
        if counts.get(value) or value == chosen
    ]
    return AttributeFacet(attribute.id, localized(attribute), values)


def _attribute_facets(
    attributes: list[KeyAttribute], rows: list[tuple[dict, int]], filters: SearchFilters
) -> list[AttributeFacet]:
    counts = _value_counts(rows, filters, [attribute.id for attribute in attributes])
    chosen = dict(filters.attributes)
    facets = [
        _attribute_facet(attribute, counts.get(attribute.id, {}), chosen.get(attribute.id))
        for attribute in attributes
    ]
    return [facet for facet in facets if facet.values]


def facets_for(
    clauses: list[Clause],
    filters: SearchFilters,
    *,
    keep: bool = False,
    tree: CategoryTree | None = None,
) -> Facets:
    """The facets of the products matching the `clauses` (keywords); each facet applies the
    other filters itself. With `keep` (a broad search) the grouped counts are kept for the
    next such search; `tree` is the category tree when the search has read it already."""
    tree = tree or category_tree()
    chosen = filters.category_id
    attributes = key_attributes(chosen, tree) if chosen is not None else []
    by_brand_rows, by_value_rows = facet_groups(
        filters, clauses, tree, by_values=bool(attributes), keep=keep
    )
    by_category, by_brand = _category_and_brand_counts(by_brand_rows, filters)
    path, categories = _category_facet(by_category, filters, tree)
    return Facets(
        category_path=path,
        categories=categories,
        brands=_brand_facet(by_brand, filters),
        attributes=_attribute_facets(attributes, by_value_rows, filters),
    )
