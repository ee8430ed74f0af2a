"""The chosen category's key attributes, read in one statement: those of its product type
(inherited from a parent), in the catalogue's order, options in theirs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.models import Attribute, AttributeOption
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.search.facets import KeyOption, key_attributes

pytestmark = pytest.mark.django_db


def test_key_attributes_of_a_subcategory_come_from_its_parents_type(shelf):
    AttributeOption.objects.create(attribute=shelf.knit, value="平针", value_en="Plain", position=0)
    tree = category_tree()
    with CaptureQueriesContext(connection) as queries:
        found = key_attributes(shelf.sweaters.id, tree)
    assert len(queries) == 1
    # 产地 is no key attribute; 领型 (position 0) before 针法 (1); 平针 shares position 0
    # with 粗针 and was added later.
    assert [(a.id, a.name, a.name_en) for a in found] == [
        (shelf.collar.id, "领型", ""),
        (shelf.knit.id, "针法", ""),
    ]
    assert found[0].options == (KeyOption("高领", ""), KeyOption("圆领", ""), KeyOption("V领", ""))
    assert found[1].options == (
        KeyOption("粗针", ""),
        KeyOption("平针", "Plain"),
        KeyOption("细针", ""),
    )


def test_a_category_without_a_product_type_has_none(shelf):
    assert key_attributes(shelf.scarves.id, category_tree()) == []


def test_a_key_attribute_without_options_is_listed_with_none(shelf):
    Attribute.objects.create(
        product_type=shelf.collar.product_type, name="克重", is_key=True, position=3
    )
    found = key_attributes(shelf.women.id, category_tree())
    assert [(a.name, len(a.options)) for a in found] == [("领型", 3), ("针法", 2), ("克重", 0)]
