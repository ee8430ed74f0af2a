"""The postings hold exactly the terms of the full-text index, on every write to the index.

`_indexed` reads the terms back from the database's own full-text index (the tsvector on
PostgreSQL, the FTS5 vocabulary on SQLite) with the statements migration 0006 fills the
postings with: the postings the services write must be the same, title marks included.
"""

import importlib

import pytest
from django.db import connection

from rongcheng.search.models import DocType, SearchDocument, SearchPosting
from rongcheng.search.services import (
    document_remove,
    index_rebuild,
    product_index_update,
)

pytestmark = pytest.mark.django_db

FILL = importlib.import_module("rongcheng.search.migrations.0006_postings").FILL


def _postings() -> set[tuple[int, str, bool]]:
    return set(SearchPosting.objects.values_list("document_id", "term", "in_title"))


def _indexed() -> set[tuple[int, str, bool]]:
    """The (document, term, in title) of the full-text index, as the migration reads them."""
    written = _postings()
    SearchPosting.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in FILL[connection.vendor]:
            cursor.execute(statement)
    indexed = _postings()
    assert {(d, t) for d, t, _title in indexed} == {(d, t) for d, t, _title in written}
    return indexed


def _terms(product) -> set[str]:
    document = SearchDocument.objects.get(doc_type=DocType.PRODUCT, object_id=product.id)
    return set(document.postings.values_list("term", flat=True))


def test_the_index_writes_the_terms_of_the_full_text_index(shelf):
    written = _postings()
    assert written == _indexed()
    turtleneck = SearchDocument.objects.get(object_id=shelf.turtleneck.id, doc_type="product")
    titled = set(turtleneck.postings.filter(in_title=True).values_list("term", flat=True))
    assert titled == {"女士", "高领", "羊绒", "羊绒衫"}
    assert {"cashmer", "鄂尔多斯", "yrs", "eerduosi", "驼色"} <= _terms(shelf.turtleneck)
    # Documents of every type have them: stores and products alike.
    store = SearchDocument.objects.get(doc_type=DocType.STORE, object_id=shelf.store.id)
    assert {"东胜", "dongsheng"} <= set(store.postings.values_list("term", flat=True))


def test_an_update_replaces_the_postings(shelf):
    shelf.coat.name = "山羊绒连帽大衣"
    shelf.coat.save()
    assert product_index_update(product_ids=[shelf.coat.id]) == 1
    assert "连帽" in _terms(shelf.coat)
    assert "双面" not in _terms(shelf.coat)
    assert _postings() == _indexed()


def test_a_product_leaving_the_index_takes_its_postings(shelf):
    document_id = SearchDocument.objects.get(doc_type="product", object_id=shelf.scarf.id).id
    shelf.scarf.is_active = False
    shelf.scarf.save()
    product_index_update(product_ids=[shelf.scarf.id])
    assert not SearchPosting.objects.filter(document_id=document_id).exists()

    store_id = SearchDocument.objects.get(doc_type=DocType.STORE, object_id=shelf.store.id).id
    assert document_remove(doc_type=DocType.STORE, object_ids=[shelf.store.id]) == 1
    assert not SearchPosting.objects.filter(document_id=store_id).exists()
    assert _postings() == _indexed()


def test_a_rebuild_restores_lost_postings_and_removes_stale_ones(shelf):
    pullover = SearchDocument.objects.get(doc_type=DocType.PRODUCT, object_id=shelf.pullover.id)
    others = {(d, t, title) for d, t, title in _postings() if d != pullover.id}
    coat = SearchDocument.objects.get(doc_type=DocType.PRODUCT, object_id=shelf.coat.id)
    coat_id = coat.id
    coat_terms = {(t, title) for d, t, title in others if d == coat_id}
    coat.delete()
    shelf.pullover.is_active = False
    shelf.pullover.save()
    index_rebuild()
    assert not SearchPosting.objects.filter(document_id=pullover.id).exists()
    new_coat = SearchDocument.objects.get(doc_type=DocType.PRODUCT, object_id=shelf.coat.id)
    assert set(new_coat.postings.values_list("term", "in_title")) == coat_terms
    assert _postings() == {(d, t, title) for d, t, title in others if d != coat_id} | {
        (new_coat.id, t, title) for t, title in coat_terms
    }
    assert _postings() == _indexed()
