"""The two building blocks of every search: documents matching keywords, then filtered."""

from django.db.models import BooleanField, Expression, QuerySet

from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryTree
from rongcheng.search.backends import Clause, backend
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.models import SearchDocument

ORDERINGS = {
    SearchSort.RELEVANCE: ("-relevance", "-sales_count", "-object_id"),
    SearchSort.SALES: ("-sales_count", "-object_id"),
    SearchSort.PRICE: ("price", "object_id"),
    SearchSort.PRICE_DESC: ("-price", "-object_id"),
    SearchSort.NEWEST: ("-launch_date", "-object_id"),
}
# What a result shows of its document, in this order.
ROW_FIELDS = ("object_id", "title", "title_en", "summary", "summary_en", "city_code")


def matching(
    doc_type: str, clauses: list[Clause], *, ranked: bool, every: bool = True
) -> QuerySet[SearchDocument]:
    """Documents of a type matching every clause, or any of them when not `every` (all
    documents without clauses)."""
    documents = SearchDocument.objects.filter(doc_type=doc_type)
    return backend().match(documents, clauses, ranked=ranked, every=every) if clauses else documents


def key_value_is(vendor: str, column: str, attribute_id: int, value: str) -> tuple[str, list]:
    """SQL for "the key_values `column` holds `value` for the attribute", and its params."""
    if vendor == "sqlite":
        return f"json_extract({column}, %s) = %s", [f'$."{attribute_id}"', value]
    return f"({column} ->> %s) = %s", [str(attribute_id), value]  # PostgreSQL (jsonb)


class KeyValueIs(Expression):
    """A document's value of a key attribute is `value`. Django's JSON key lookups would read
    a key of digits (an attribute id) as an index into an array, so this is spelled out. On
    PostgreSQL the category index carries key_values: the filter needs no row."""

    def __init__(self, attribute_id: int, value: str):
        super().__init__(output_field=BooleanField())
        self.attribute_id, self.value = attribute_id, value

    def as_sql(self, compiler, connection):
        column = f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.key_values"
        return key_value_is(connection.vendor, column, self.attribute_id, self.value)


def narrowed(
    documents: QuerySet[SearchDocument],
    filters: SearchFilters,
    *,
    tree: CategoryTree | None = None,
) -> QuerySet[SearchDocument]:
    """Apply the filters. A search narrows several statements: it passes the category `tree`
    it read once."""
    if filters.category_id is not None:
        subtree = (tree or category_tree()).subtree_ids(filters.category_id)
        documents = documents.filter(category_id__in=subtree)
    if filters.brand_id is not None:
        documents = documents.filter(brand_id=filters.brand_id)
    for attribute_id, value in filters.attributes:
        documents = documents.filter(KeyValueIs(attribute_id, value))
    if filters.price_min is not None:
        documents = documents.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        documents = documents.filter(price__lte=filters.price_max)
    return documents
