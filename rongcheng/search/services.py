"""Writes to the search index. The catalogue and store services call the *_index_update
functions after their transaction commits; index_rebuild rebuilds everything."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery

from rongcheng.catalog.models import Category, Product
from rongcheng.search.documents import (
    Row,
    article_rows,
    articles_published,
    indexable_articles,
    indexable_products,
    indexable_stores,
    product_rows,
    products_on_sale,
    shops,
    store_rows,
)
from rongcheng.search.kept_counts import index_changed
from rongcheng.search.models import DocType, SearchDocument

BATCH_SIZE = 500
Progress = Callable[[str, int, int], None]  # (doc_type, done so far, total)


def _replace(doc_type: str, object_ids: list[int], rows: list[Row]) -> int:
    """Swap the documents of these objects for the new rows (none for objects gone); a
    document whose fingerprint is unchanged stays as it is. Returns the rows written."""
    with transaction.atomic():
        current = dict(
            SearchDocument.objects.filter(doc_type=doc_type, object_id__in=object_ids).values_list(
                "object_id", "fingerprint"
            )
        )
        changed = [
            row for row in rows if current.get(row.document.object_id) != row.document.fingerprint
        ]
        kept = {row.document.object_id for row in rows} - {
            row.document.object_id for row in changed
        }
        deleted, _by_model = SearchDocument.objects.filter(
            doc_type=doc_type, object_id__in=[pk for pk in object_ids if pk not in kept]
        ).delete()
        documents = SearchDocument.objects.bulk_create([row.document for row in changed])
        if deleted or documents:
            transaction.on_commit(index_changed)
    return len(documents)


def product_index_update(*, product_ids: Iterable[int]) -> int:
    """Index these products as they are now; inactive or deleted ones leave the index.

    Returns the number of documents written (unchanged ones are left alone).
    """
    ids = sorted(set(product_ids))
    return _replace(DocType.PRODUCT, ids, product_rows(products_on_sale(ids)))


def store_index_update(*, store_ids: Iterable[int]) -> int:
    """Index these stores as they are now; closed ones and fulfillment centers leave it."""
    ids = sorted(set(store_ids))
    return _replace(DocType.STORE, ids, store_rows(shops(ids)))


def article_index_update(*, article_ids: Iterable[int]) -> int:
    """Index these help articles as they are now; drafts and deleted ones leave the index."""
    ids = sorted(set(article_ids))
    return _replace(DocType.ARTICLE, ids, article_rows(articles_published(ids)))


def document_remove(*, doc_type: str, object_ids: Iterable[int]) -> int:
    with transaction.atomic():
        deleted, _by_model = SearchDocument.objects.filter(
            doc_type=doc_type, object_id__in=list(object_ids)
        ).delete()
        if deleted:
            transaction.on_commit(index_changed)
    return deleted


def product_index_update_later(*, product_ids: Iterable[int]) -> None:
    """Re-index once the current transaction commits, so the index never shows a rolled-back
    change and the work stays outside the caller's locks."""
    ids = list(product_ids)
    transaction.on_commit(lambda: product_index_update(product_ids=ids))


def product_index_update_for(
    *,
    category_ids: Iterable[int] = (),
    brand_ids: Iterable[int] = (),
    audience_ids: Iterable[int] = (),
    product_type_ids: Iterable[int] = (),
) -> int:
    """Re-index the products of these categories (with their subcategories), brands,
    audiences and product types, whose names (and attributes) their documents carry: after
    one of them is renamed or moved."""
    categories = set(category_ids)
    parents = dict(Category.objects.values_list("id", "parent_id"))
    while True:  # add subcategories until none is left out
        children = {pk for pk, parent in parents.items() if parent in categories} - categories
        if not children:
            break
        categories |= children
    products = Product.objects.filter(
        Q(category_id__in=categories)
        | Q(brand_id__in=list(brand_ids))
        | Q(audience_id__in=list(audience_ids))
        | Q(product_type_id__in=list(product_type_ids))
    )
    ids = list(products.order_by("id").values_list("id", flat=True))
    return sum(
        product_index_update(product_ids=ids[start : start + BATCH_SIZE])
        for start in range(0, len(ids), BATCH_SIZE)
    )


def store_index_update_later(*, store_ids: Iterable[int]) -> None:
    ids = list(store_ids)
    transaction.on_commit(lambda: store_index_update(store_ids=ids))


def _sources() -> dict[str, tuple[QuerySet, Callable[[list[int]], int]]]:
    """Per type: what belongs in the index, and how to index a batch of it."""
    return {
        DocType.PRODUCT: (
            indexable_products(),
            lambda ids: product_index_update(product_ids=ids),
        ),
        DocType.STORE: (indexable_stores(), lambda ids: store_index_update(store_ids=ids)),
        DocType.ARTICLE: (
            indexable_articles(),
            lambda ids: article_index_update(article_ids=ids),
        ),
    }


def index_rebuild(
    *,
    doc_types: Iterable[str] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Index every product and store again, batch by batch: searches keep working meanwhile.
    Documents of objects that no longer qualify are removed at the end.

    `progress` is told of each batch; returns the number of documents per type.
    """
    sources = _sources()
    counts: dict[str, int] = {}
    for doc_type in doc_types or list(sources):
        indexable, index = sources[doc_type]
        ids = list(indexable.order_by("id").values_list("id", flat=True))
        if progress:
            progress(doc_type, 0, len(ids))
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            index(batch)
            if progress:
                progress(doc_type, start + len(batch), len(ids))
        with transaction.atomic():
            gone, _by_model = (
                SearchDocument.objects.filter(doc_type=doc_type)
                .exclude(object_id__in=indexable.values("id"))
                .delete()
            )
            if gone:
                transaction.on_commit(index_changed)
        counts[doc_type] = SearchDocument.objects.filter(doc_type=doc_type).count()
    return counts


def product_counters_refresh() -> int:
    """Copy sales, price and launch date from the products in one statement (a periodic job:
    sales change with every order, and re-segmenting text for that would be waste). Prices
    filter the facets' counts, so the kept ones retire."""
    product = Product.objects.filter(id=OuterRef("object_id"))
    with transaction.atomic():
        transaction.on_commit(index_changed)
        return SearchDocument.objects.filter(doc_type=DocType.PRODUCT).update(
            sales_count=Subquery(product.values("sales_count")[:1]),
            price=Subquery(product.values("price")[:1]),
            launch_date=Subquery(product.values("launch_date")[:1]),
        )
