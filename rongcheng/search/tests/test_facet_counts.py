"""Facet counts are exact. On a fixed catalogue (the shelf and 60 generated sweaters) every
value of every facet equals a plain count of the products its link leads to, read from the
catalogue itself rather than the index, with every other filter in force: with and without
keywords, a brand, chosen key attributes (an option or a value of no option) and a price
range; counted afresh and as kept for a broad search. The same on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.db.models import Q

from rongcheng.catalog.models import Product, ProductAttributeValue
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.search import selectors
from rongcheng.search.backends import Clause
from rongcheng.search.filters import SearchFilters
from rongcheng.search.models import DocType
from rongcheng.search.query import matching
from rongcheng.search.selectors import advanced_search
from rongcheng.search.tests.factories import COLLARS, KNITS
from rongcheng.search.text import keywords

pytestmark = pytest.mark.django_db


def _plain_count(filters: SearchFilters) -> int:
    """The products the filters list, counted from the catalogue (keywords aside)."""
    found = matching(DocType.PRODUCT, [Clause(k) for k in keywords(filters.q)], ranked=False)
    products = Product.objects.filter(is_active=True, id__in=found.values("object_id"))
    if filters.category_id is not None:
        products = products.filter(category_id__in=category_tree().subtree_ids(filters.category_id))
    if filters.brand_id is not None:
        products = products.filter(brand_id=filters.brand_id)
    for attribute_id, value in filters.attributes:
        having = ProductAttributeValue.objects.filter(attribute_id=attribute_id).filter(
            Q(option__value=value) | Q(option=None, value=value)
        )
        products = products.filter(id__in=having.values("product_id"))
    if filters.price_min is not None:
        products = products.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        products = products.filter(price__lte=filters.price_max)
    return products.count()


def _expected(filters: SearchFilters, shelf) -> dict:
    """Every facet value a plain count finds, with that count."""
    tree = category_tree()
    children = tree.get(filters.category_id).children if filters.category_id else tree.roots
    categories = {
        node.id: _plain_count(filters.with_changes(category_id=node.id)) for node in children
    }
    brands = {
        brand_id: _plain_count(filters.with_changes(brand_id=brand_id))
        for brand_id in (shelf.turtleneck.brand_id, shelf.cardigan.brand_id)
    }
    attributes = {}
    if filters.category_id == shelf.women.id or filters.category_id == shelf.sweaters.id:
        for attribute, values in ((shelf.collar, COLLARS), (shelf.knit, KNITS)):
            attributes[attribute.id] = {
                value: _plain_count(filters.with_attribute(attribute.id, value))
                for value in values
                if value is not None
            }
    listed = {
        pk: {value: n for value, n in counts.items() if n or (pk, value) in filters.attributes}
        for pk, counts in attributes.items()
    }
    return {
        "categories": {pk: n for pk, n in categories.items() if n},
        "brands": {pk: n for pk, n in brands.items() if n},
        "attributes": {pk: values for pk, values in listed.items() if values},
    }


def _counted(filters: SearchFilters) -> dict:
    facets = advanced_search(filters=filters).facets
    return {
        "categories": {int(v.value): v.count for v in facets.categories},
        "brands": {int(v.value): v.count for v in facets.brands},
        "attributes": {
            facet.attribute_id: {v.value: v.count for v in facet.values}
            for facet in facets.attributes
        },
    }


def _cases(shelf) -> list[SearchFilters]:
    erdos, collar, knit = shelf.turtleneck.brand_id, shelf.collar.id, shelf.knit.id
    return [
        SearchFilters(),
        SearchFilters(q="羊绒"),
        SearchFilters(q="羊绒", category_id=shelf.women.id),
        SearchFilters(category_id=shelf.women.id, brand_id=erdos, attributes=((collar, "高领"),)),
        SearchFilters(
            q="羊绒",
            category_id=shelf.sweaters.id,
            attributes=((collar, "圆领"), (knit, "细针")),
            price_max=Decimal("2000"),
        ),
        SearchFilters(category_id=shelf.women.id, attributes=((collar, "荷叶领"),)),
        SearchFilters(
            category_id=shelf.women.id,
            brand_id=erdos,
            attributes=((knit, "粗针"),),
            price_min=Decimal("900"),
        ),
    ]


@pytest.mark.parametrize("broad", [False, True], ids=["counted", "kept"])
def test_every_facet_count_equals_a_plain_count_of_the_catalogue(catalogue, monkeypatch, broad):
    if broad:  # every search is past the limit: its counts are kept, then read back
        monkeypatch.setattr(selectors, "RESULTS_LIMIT", 1)
    for filters in _cases(catalogue):
        expected = _expected(filters, catalogue)
        assert _counted(filters) == expected, filters
        assert _counted(filters) == expected, filters  # kept when broad


def test_a_chosen_attribute_counts_its_other_values_with_every_other_filter(shelf):
    # In 女装 with 绒城 and 高领: the collars of 绒城's sweaters (the cardigan 圆领, the
    # pullover 高领), the knits of 绒城's 高领 (the pullover 细针), the brands of 高领 (the
    # turtleneck 鄂尔多斯, the pullover 绒城).
    filters = SearchFilters(
        category_id=shelf.women.id,
        brand_id=shelf.cardigan.brand_id,
        attributes=((shelf.collar.id, "高领"),),
    )
    facets = advanced_search(filters=filters).facets
    assert [
        (facet.name, [(v.label, v.count, v.selected) for v in facet.values])
        for facet in facets.attributes
    ] == [
        ("领型", [("高领", 1, True), ("圆领", 1, False)]),
        ("针法", [("细针", 1, False)]),
    ]
    assert sorted((v.label, v.count, v.selected) for v in facets.brands) == [
        ("绒城", 1, True),
        ("鄂尔多斯", 1, False),
    ]
    assert [(v.label, v.count) for v in facets.categories] == [("女士羊绒衫", 1)]
