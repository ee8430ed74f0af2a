"""Reads of the search index: quick and advanced search (SRCH-1, SRCH-2), suggestions, and
the nearest categories when nothing matches.

A search runs a bounded number of queries whatever the size of the catalogue: a count and a
page of documents (one statement with a category, or for words narrower than walking the
sales index pays for: filtered_page.py), one query for the product cards, the other types'
counts, and for the facets the key attributes, one grouped count (facet_groups.py) and the
brands' names.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import overload

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from rongcheng.catalog.models import Brand
from rongcheng.catalog.selectors.cards import ProductCard, products_by_ids
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryNode, CategoryTree
from rongcheng.core.translation import english_name, pick
from rongcheng.search.backends import Clause, backend
from rongcheng.search.best_sellers import ranked_best_sellers
from rongcheng.search.facets import Facets, facets_for
from rongcheng.search.filtered_page import filtered_page, sorting_every_match_pays
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.models import DocType, SearchDocument
from rongcheng.search.nearest import did_you_mean, nearest_categories
from rongcheng.search.query import ORDERINGS, ROW_FIELDS, matching, narrowed
from rongcheng.search.text import Keyword, Segment, highlight, keywords, pinyin

MAX_PAGE_SIZE = 100
STORE_PREVIEW = 4
SUGGESTIONS = 8
# A search lists at most this many results (see SearchHits); a count past it reads "1000+".
RESULTS_LIMIT = 1000


@dataclass(frozen=True)
class ProductHit:
    card: ProductCard
    title: list[Segment]
    summary: list[Segment]


@dataclass(frozen=True)
class StoreHit:
    id: int
    name: str
    address: str
    city_code: str
    title: list[Segment]
    summary: list[Segment]


@dataclass
class SearchResults:
    filters: SearchFilters
    keywords: list[Keyword]
    page: Page
    counts: dict[str, int]
    stores: list[StoreHit] = field(default_factory=list)
    facets: Facets | None = None
    did_you_mean: str = ""
    nearest_categories: list[CategoryNode] = field(default_factory=list)
    # The types whose count stopped at RESULTS_LIMIT: more of them match.
    capped: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        """The results listed: every match, up to RESULTS_LIMIT (see `more`)."""
        return self.page.paginator.count

    @property
    def more(self) -> bool:
        """More documents match than the RESULTS_LIMIT listed."""
        return self.filters.doc_type in self.capped


def _clauses(filters: SearchFilters) -> tuple[list[Keyword], list[Clause]]:
    found = keywords(filters.q)
    named = keywords(filters.name)
    clauses = [Clause(k) for k in found] + [Clause(k, title_only=True) for k in named]
    return found + named, clauses


def _page_size(per_page: int | None) -> int:
    return min(max(per_page or settings.RONGCHENG["CATALOG_PAGE_SIZE"], 1), MAX_PAGE_SIZE)


def _text(row: dict, field: str) -> str:
    """A document's title or summary in the active language."""
    return pick(row[field], row[english_name(field)])


def _product_hits(rows: list[dict], found: list[Keyword]) -> list[ProductHit]:
    cards = {card.id: card for card in products_by_ids(ids=[row["object_id"] for row in rows])}
    return [
        ProductHit(
            cards[row["object_id"]],
            highlight(_text(row, "title"), found),
            highlight(_text(row, "summary"), found),
        )
        for row in rows
        if row["object_id"] in cards  # a product switched off since it was indexed
    ]


def _store_hits(rows: list[dict], found: list[Keyword]) -> list[StoreHit]:
    return [
        StoreHit(
            row["object_id"],
            _text(row, "title"),
            _text(row, "summary"),
            row["city_code"],
            highlight(_text(row, "title"), found),
            highlight(_text(row, "summary"), found),
        )
        for row in rows
    ]


class SearchHits:
    """The results of a search, sliced by the Paginator page by page: at most RESULTS_LIMIT.

    Counting stops past the limit (`more`), so a word found in most products (羊绒) is not
    counted over the whole index. Sorted by relevance, the `ranking` gives the count and the
    RESULTS_LIMIT best sellers among the matches, ranked, kept until the index is next
    written (best_sellers.py): a page reads only its own rows."""

    def __init__(
        self,
        matches: QuerySet[SearchDocument],
        rows: QuerySet,
        *,
        ranking: Callable[[], tuple[int, list[int]]] | None = None,
    ) -> None:
        self.matches = matches  # unranked, unordered
        self.rows = rows  # ROW_FIELDS in the order shown
        self.ranking = ranking

    @cached_property
    def _ranked(self) -> tuple[int, list[int]]:
        assert self.ranking is not None
        return self.ranking()

    @cached_property
    def found(self) -> int:
        return self._ranked[0] if self.ranking else capped_count(self.matches)

    @property
    def more(self) -> bool:
        return self.found > RESULTS_LIMIT

    def count(self) -> int:
        return min(self.found, RESULTS_LIMIT)

    # Sized, indexable and iterable: what the Paginator takes.
    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> dict: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...
    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        rows = self.rows
        if self.ranking is None:
            return list(rows[index]) if isinstance(index, slice) else rows[index]
        ranked = self._ranked[1]
        if isinstance(index, slice):
            return list(rows.filter(id__in=ranked[index]))
        return rows.get(id=ranked[index])

    def __iter__(self) -> Iterator[dict]:
        return iter(self[:RESULTS_LIMIT])


def capped_count(documents: QuerySet[SearchDocument]) -> int:
    """How many documents, counted up to RESULTS_LIMIT + 1 (which reads "more")."""
    return documents.order_by()[: RESULTS_LIMIT + 1].count()


def _other_counts(doc_type: str, clauses: list[Clause]) -> dict[str, int]:
    """The matches of every type but the one listed. Stores and articles are few: one
    statement grouped by type counts both; products, when another type is listed, are
    counted up to the limit like the listed type."""
    counts = dict.fromkeys(DocType.values, 0)
    del counts[doc_type]
    if DocType.PRODUCT in counts:
        counts[DocType.PRODUCT] = capped_count(matching(DocType.PRODUCT, clauses, ranked=False))
    few = [other for other in counts if other != DocType.PRODUCT]
    documents = backend().match(
        SearchDocument.objects.filter(doc_type__in=few), clauses, ranked=False
    )
    counts.update(documents.values_list("doc_type").annotate(n=Count("id")).order_by())
    return counts


def _stores_first_in(
    documents: QuerySet[SearchDocument], city_code: str | None
) -> QuerySet[SearchDocument]:
    """The visitor's city first, then by relevance (by name without keywords)."""
    here = Case(
        When(city_code=city_code or "", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    ranked = "-relevance" if "relevance" in documents.query.annotations else "title"
    return documents.annotate(here=here).order_by("-here", ranked, "object_id")


def _listed(
    filters: SearchFilters,
    clauses: list[Clause],
    ordering: SearchSort,
    page: int | str,
    size: int,
    city_code: str | None,
    tree: CategoryTree | None,
) -> tuple[Page, bool]:
    """The page of rows listed, and whether more documents match than RESULTS_LIMIT."""
    doc_type = filters.doc_type
    if doc_type == DocType.PRODUCT and (
        tree is not None
        or (
            ordering == SearchSort.RELEVANCE
            and sorting_every_match_pays(filters=filters, clauses=clauses, limit=RESULTS_LIMIT)
        )
    ):
        found, listed = filtered_page(
            filters=filters,
            clauses=clauses,
            ordering=ordering,
            page=page,
            size=size,
            limit=RESULTS_LIMIT,
            tree=tree,
        )
        return listed, found > RESULTS_LIMIT
    hits = _hits(filters, clauses, ordering, city_code, tree)
    return Paginator(hits, size).get_page(page), hits.more


def _hits(
    filters: SearchFilters,
    clauses: list[Clause],
    ordering: SearchSort,
    city_code: str | None,
    tree: CategoryTree | None,
) -> SearchHits:
    """The results as querysets: stores, and documents of a search without a category."""
    doc_type = filters.doc_type
    by_relevance = bool(clauses) and (doc_type == DocType.STORE or ordering == SearchSort.RELEVANCE)
    found_documents = matching(doc_type, clauses, ranked=by_relevance)
    if doc_type == DocType.STORE:
        # Stores are few: all of them are ranked, the visitor's city first.
        return SearchHits(
            found_documents, _stores_first_in(found_documents, city_code).values(*ROW_FIELDS)
        )
    found_documents = narrowed(found_documents, filters, tree=tree)
    ranking = (
        partial(
            ranked_best_sellers, filters=filters, clauses=clauses, limit=RESULTS_LIMIT, tree=tree
        )
        if by_relevance
        else None
    )
    return SearchHits(
        narrowed(matching(doc_type, clauses, ranked=False), filters, tree=tree),
        found_documents.order_by(*ORDERINGS[ordering]).values(*ROW_FIELDS),
        ranking=ranking,
    )


def _search(
    *,
    filters: SearchFilters,
    page: int | str,
    per_page: int | None,
    city_code: str | None,
    with_facets: bool,
) -> SearchResults:
    found, clauses = _clauses(filters)
    size = _page_size(per_page)
    doc_type = filters.doc_type
    # Ranking costs time on every match: only when the results are sorted by it.
    ordering = SearchSort(filters.ordering)
    if ordering == SearchSort.RELEVANCE and not clauses:  # keywords of punctuation only
        ordering = SearchSort.SALES
    # Read once for every statement the category narrows (a cache read and a build each).
    tree = category_tree() if filters.category_id is not None else None
    # The page's rows, replaced below by the hits they make.
    result, more = _listed(filters, clauses, ordering, page, size, city_code, tree)
    rows = list(result.object_list)
    if doc_type == DocType.PRODUCT:
        result.object_list = _product_hits(rows, found)
    else:
        result.object_list = _store_hits(rows, found)
    counts = {str(doc_type): result.paginator.count}
    results = SearchResults(filters=filters, keywords=found, page=result, counts=counts)
    if more:
        results.capped.add(doc_type)
    if clauses:
        for other, found_count in _other_counts(doc_type, clauses).items():
            counts[other] = min(found_count, RESULTS_LIMIT)
            if found_count > RESULTS_LIMIT:
                results.capped.add(other)
        if doc_type == DocType.PRODUCT and result.number == 1 and filters.q and counts["store"]:
            stores = _stores_first_in(matching(DocType.STORE, clauses, ranked=True), city_code)
            results.stores = _store_hits(list(stores.values(*ROW_FIELDS)[:STORE_PREVIEW]), found)
    if doc_type == DocType.PRODUCT and with_facets:
        results.facets = facets_for(clauses, filters, keep=more, tree=tree)
    if clauses and not any(counts.values()):
        results.did_you_mean = did_you_mean(filters.q, doc_type)
        results.nearest_categories = nearest_categories(filters.q)
    return results


def quick_search(
    *,
    q: str,
    doc_type: str = DocType.PRODUCT,
    page: int | str = 1,
    per_page: int | None = None,
    city_code: str | None = None,
) -> SearchResults:
    """SRCH-1: every space-separated keyword must match; best match first, then sales.

    Finds products (or stores); the first page of products also previews the matching
    stores, those of the visitor's city first, and counts the matches of every type.
    """
    filters = SearchFilters(q=q, doc_type=doc_type)
    return _search(
        filters=filters, page=page, per_page=per_page, city_code=city_code, with_facets=False
    )


def advanced_search(
    *,
    filters: SearchFilters,
    page: int | str = 1,
    per_page: int | None = None,
    city_code: str | None = None,
    with_facets: bool = True,
) -> SearchResults:
    """SRCH-2: keywords, name, category, brand, key attributes and price range, sorted by
    relevance, sales, price or newest, with facet counts for narrowing further."""
    return _search(
        filters=filters,
        page=page,
        per_page=per_page,
        city_code=city_code,
        with_facets=with_facets,
    )


def brand_choices() -> list[tuple[int, str]]:
    """The brands the advanced search form offers."""
    brands = Brand.objects.filter(is_active=True).order_by("position", "id")
    return [
        (pk, pick(name, name_latin))
        for pk, name, name_latin in brands.values_list("id", "name", "name_latin")
    ]


def category_choices() -> list[CategoryNode]:
    """Every active category, parents before children, for the advanced search form."""
    return category_tree().walk()


# --- Suggestions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "category", "product" or "store"
    text: str
    object_id: int


def _category_suggestions(typed: str, limit: int) -> list[Suggestion]:
    spelled = typed.isascii() and typed.isalpha()
    found = []
    for node in category_tree().walk():
        full, initials = pinyin(node.name)
        if (
            typed in node.name.lower()
            or (node.name_en and typed in node.name_en.lower())
            or (spelled and (full.startswith(typed) or initials.startswith(typed)))
        ):
            found.append(Suggestion("category", node.label, node.id))
            if len(found) == limit:
                break
    return found


def suggest(*, q: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """What the shopper may be typing: categories, then products by sales, then stores.

    The last keyword counts as the start of a word or of its pinyin (羊 → 羊绒衫, yr → 羊绒).
    """
    found = keywords(q)
    if not found:
        return []
    clauses = [Clause(k) for k in found[:-1]] + [Clause(found[-1], prefix=True)]
    typed = " ".join(k.text for k in found)
    suggestions = _category_suggestions(typed, limit=3)
    titles = {s.text for s in suggestions}
    for doc_type, kind in ((DocType.PRODUCT, "product"), (DocType.STORE, "store")):
        if len(suggestions) >= limit:
            break
        rows = (
            matching(doc_type, clauses, ranked=False)
            .order_by("-sales_count", "-object_id")
            .values_list("object_id", "title", "title_en")[: limit * 2]
        )
        for object_id, chinese, english in rows:
            title = pick(chinese, english)
            if title not in titles and len(suggestions) < limit:
                titles.add(title)
                suggestions.append(Suggestion(kind, title, object_id))
    return suggestions


def index_is_empty() -> bool:
    return not SearchDocument.objects.exists()
