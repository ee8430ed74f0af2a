"""The two building blocks of every search: documents matching keywords, then filtered."""

from django.db.models import QuerySet

from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryTree
from rongcheng.search.backends import Clause, backend
from rongcheng.search.filters import SearchFilters
from rongcheng.search.models import SearchAttribute, SearchDocument


def matching(
    doc_type: str, clauses: list[Clause], *, ranked: bool, every: bool = True
) -> QuerySet[SearchDocument]:
    """Documents of a type matching every clause, or any of them when not `every` (all
    documents without clauses)."""
    documents = SearchDocument.objects.filter(doc_type=doc_type)
    return backend().match(documents, clauses, ranked=ranked, every=every) if clauses else documents


# What narrowed() may skip: the brand, or every key attribute.
BRAND, ATTRIBUTES = "brand", "attributes"


def narrowed(
    documents: QuerySet[SearchDocument],
    filters: SearchFilters,
    *,
    skip: str = "",
    tree: CategoryTree | None = None,
) -> QuerySet[SearchDocument]:
    """Apply the filters except `skip` (BRAND or ATTRIBUTES): a facet counts what
    its links would show, with every other filter in force. A search narrows several
    statements: it passes the category `tree` it read once."""
    if filters.category_id is not None:
        subtree = (tree or category_tree()).subtree_ids(filters.category_id)
        documents = documents.filter(category_id__in=subtree)
    if filters.brand_id is not None and skip != BRAND:
        documents = documents.filter(brand_id=filters.brand_id)
    for attribute_id, value in filters.attributes if skip != ATTRIBUTES else ():
        having = SearchAttribute.objects.filter(attribute_id=attribute_id, value=value)
        documents = documents.filter(id__in=having.values("document_id"))
    if filters.price_min is not None:
        documents = documents.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        documents = documents.filter(price__lte=filters.price_max)
    return documents
