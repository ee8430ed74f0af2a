"""The catalogue and store services keep the index current once their transaction commits."""

import pytest

from rongcheng.catalog.services import category_save
from rongcheng.catalog.tests.factories import CategoryFactory, make_product
from rongcheng.search.models import DocType
from rongcheng.search.selectors import quick_search
from rongcheng.stores.services import store_save
from rongcheng.stores.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def _found(q: str, doc_type: str = DocType.PRODUCT) -> int:
    return quick_search(q=q, doc_type=doc_type).total


def test_a_new_product_is_searchable_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_product(name="驼色高领羊绒衫")
    assert _found("高领") == 1


def test_renaming_a_category_reindexes_its_products(django_capture_on_commit_callbacks):
    category = CategoryFactory(name="开衫")
    with django_capture_on_commit_callbacks(execute=True):
        make_product(name="经典款", category=category)
    assert _found("披肩") == 0
    category.name = "披肩"
    with django_capture_on_commit_callbacks(execute=True):
        category_save(category=category)
    assert _found("披肩") == 1


def test_a_saved_store_is_searchable(regions, django_capture_on_commit_callbacks):
    store = StoreFactory.build(city=regions["150600"], name="康巴什体验店")
    with django_capture_on_commit_callbacks(execute=True):
        store_save(store=store)
    assert _found("康巴什", DocType.STORE) == 1
