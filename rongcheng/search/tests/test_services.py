from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.models import Brand, Product
from rongcheng.catalog.services import category_save, product_price_refresh
from rongcheng.catalog.tests.factories import SkuFactory
from rongcheng.search.documents import product_rows, products_on_sale
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.models import DocType, SearchDocument
from rongcheng.search.selectors import advanced_search, quick_search
from rongcheng.search.services import (
    document_remove,
    index_rebuild,
    product_counters_refresh,
    product_index_update,
    product_index_update_for,
    product_index_update_later,
    store_index_update,
)
from rongcheng.stores.models import Store

pytestmark = pytest.mark.django_db


def _found(q: str) -> list[str]:
    return sorted(hit.card.name for hit in quick_search(q=q).page)


def _document(product: Product) -> SearchDocument:
    return SearchDocument.objects.get(doc_type=DocType.PRODUCT, object_id=product.id)


def test_a_product_document_holds_terms_filters_and_key_attributes(shelf):
    [row] = product_rows(products_on_sale([shelf.turtleneck.id]))
    assert row.document.title_terms == "女士 高领 羊绒 羊绒衫"
    body = row.document.body_terms.split()
    for term in [
        "cashmer",
        "sweater",
        "鄂尔多斯",
        "erdo",
        "女装",
        "女士",
        "内蒙古",
        "驼色",
        "黑色",
    ]:
        assert term in body
    assert {"yangrongshan", "yrs", "eerduosi", "eeds"} <= set(row.document.pinyin_terms.split())

    document = _document(shelf.turtleneck)
    assert (document.title, document.summary) == ("女士高领羊绒衫", "Cashmere sweater 温暖贴身")
    assert document.fingerprint == row.document.fingerprint
    assert (document.category_id, document.brand_id) == (
        shelf.sweaters.id,
        shelf.turtleneck.brand_id,
    )
    assert (document.price, document.sales_count) == (Decimal("1280.00"), 50)
    assert document.launch_date == shelf.turtleneck.launch_date
    # Only key attributes become facets; 产地 is searchable text but no facet.
    assert document.key_values == {str(shelf.collar.id): "高领", str(shelf.knit.id): "粗针"}
    assert _document(shelf.coat).key_values == {}


def test_an_unchanged_document_is_not_rewritten(shelf):
    before = _document(shelf.cardigan)
    assert product_index_update(product_ids=[shelf.cardigan.id, shelf.coat.id]) == 0
    assert _document(shelf.cardigan).pk == before.pk
    Product.objects.filter(id=shelf.cardigan.id).update(sales_count=81)
    assert product_index_update(product_ids=[shelf.cardigan.id, shelf.coat.id]) == 1
    assert _document(shelf.cardigan).sales_count == 81


def test_the_rebuild_indexes_active_products_and_open_shops_only(shelf):
    assert sorted(
        SearchDocument.objects.filter(doc_type=DocType.PRODUCT).values_list("title", flat=True)
    ) == ["女士圆领羊绒开衫", "女士高领羊毛衫", "女士高领羊绒衫", "山羊绒双面大衣", "羊绒围巾"]
    stores = SearchDocument.objects.filter(doc_type=DocType.STORE)
    assert list(stores.values_list("object_id", "city_code")) == [(shelf.store.id, "150600")]


def test_the_index_follows_a_product_change(shelf):
    assert _found("羊绒衫") == ["女士圆领羊绒开衫", "女士高领羊毛衫", "女士高领羊绒衫"]
    shelf.turtleneck.name = "女士高领毛衣"
    shelf.turtleneck.save()
    SkuFactory(product=shelf.turtleneck, colour="燕麦色", size="L", price=Decimal("880.00"))
    product_price_refresh(product_ids=[shelf.turtleneck.id])

    assert product_index_update(product_ids=[shelf.turtleneck.id]) == 1

    assert _found("毛衣") == ["女士高领毛衣"]
    assert _found("燕麦色") == ["女士高领毛衣"]
    in_titles = advanced_search(filters=SearchFilters(name="羊绒 高领")).page
    assert [hit.card.name for hit in in_titles] == []
    assert _document(shelf.turtleneck).price == Decimal("880.00")
    assert SearchDocument.objects.filter(doc_type=DocType.PRODUCT).count() == 5


def test_the_index_follows_a_product_removal(shelf):
    shelf.scarf.is_active = False
    shelf.scarf.save()
    cardigan_id = shelf.cardigan.id
    shelf.cardigan.skus.all().delete()
    shelf.cardigan.delete()

    assert product_index_update(product_ids=[shelf.scarf.id, cardigan_id]) == 0

    assert _found("羊绒") == ["女士高领羊毛衫", "女士高领羊绒衫", "山羊绒双面大衣"]
    gone = [shelf.scarf.id, cardigan_id]
    assert not SearchDocument.objects.filter(doc_type="product", object_id__in=gone).exists()


def test_reindexing_after_commit(shelf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Product.objects.filter(id=shelf.coat.id).update(name="山羊绒斗篷")
        product_index_update_later(product_ids=[shelf.coat.id])
        assert _found("斗篷") == []  # not before the commit
    # The re-index, then (registered by it) the retirement of the kept facet counts.
    assert [callback.__name__ for callback in callbacks[1:]] == ["index_changed"]
    assert _found("斗篷") == ["山羊绒斗篷"]


def test_a_rolled_back_change_never_reaches_the_index(shelf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Product.objects.filter(id=shelf.coat.id).update(name="山羊绒斗篷")
                product_index_update_later(product_ids=[shelf.coat.id])
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    assert callbacks == []
    assert _found("斗篷") == []


def test_renamed_categories_and_brands_are_searched_by_their_new_names(shelf):
    shelf.women.name = "淑女装"
    category_save(category=shelf.women)
    Brand.objects.filter(id=shelf.scarf.brand_id).update(name="绒城臻品")

    assert product_index_update_for(category_ids=[shelf.women.id]) == 4
    assert _found("淑女装") == [
        "女士圆领羊绒开衫",
        "女士高领羊毛衫",
        "女士高领羊绒衫",
        "山羊绒双面大衣",
    ]
    assert _found("臻品") == ["女士圆领羊绒开衫", "女士高领羊毛衫"]  # the scarf is not yet
    # The brand's sweaters were re-indexed with their category already: only the scarf changes.
    assert product_index_update_for(brand_ids=[shelf.scarf.brand_id]) == 1
    assert _found("臻品") == ["女士圆领羊绒开衫", "女士高领羊毛衫", "羊绒围巾"]


def test_a_store_that_closes_leaves_the_index(shelf):
    assert [s.name for s in quick_search(q="东胜", doc_type=DocType.STORE).page] == [
        "绒城购东胜直营店"
    ]
    Store.objects.filter(id=shelf.store.id).update(is_active=False)
    assert store_index_update(store_ids=[shelf.store.id, shelf.warehouse.id]) == 0
    assert list(quick_search(q="东胜", doc_type=DocType.STORE).page) == []


def test_document_remove(shelf):
    assert document_remove(doc_type=DocType.PRODUCT, object_ids=[shelf.scarf.id]) == 1
    assert _found("围巾") == []


def test_a_rebuild_drops_documents_of_things_gone_and_reports_counts(shelf):
    Product.objects.filter(id=shelf.coat.id).update(is_active=False)
    seen = []
    counts = index_rebuild(
        batch_size=2, progress=lambda doc_type, done, total: seen.append((doc_type, done, total))
    )
    assert counts == {"product": 4, "store": 1, "article": 0}
    assert seen == [
        ("product", 0, 4),
        ("product", 2, 4),
        ("product", 4, 4),
        ("store", 0, 1),
        ("store", 1, 1),
        ("article", 0, 0),
    ]
    assert _found("大衣") == []


def test_counters_follow_the_products_in_one_statement(shelf):
    Product.objects.filter(id=shelf.coat.id).update(sales_count=500)
    with CaptureQueriesContext(connection) as queries:
        assert product_counters_refresh() == 5
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert _document(shelf.coat).sales_count == 500
    by_sales = advanced_search(filters=SearchFilters(q="羊绒", sort=SearchSort.SALES))
    assert [hit.card.name for hit in by_sales.page][:2] == ["山羊绒双面大衣", "羊绒围巾"]


def test_the_rebuild_command(shelf, capsys):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--no-progress", "--type", "product")
    assert capsys.readouterr().out == "商品: 5\n"
    assert SearchDocument.objects.filter(doc_type=DocType.STORE).count() == 0
