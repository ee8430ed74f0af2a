"""When nothing matches: a corrected query to try and the nearest categories, never an
empty page."""

from collections import Counter
from difflib import SequenceMatcher

from django.db.models import Count

from rongcheng.catalog.errors import CategoryNotFound
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryNode
from rongcheng.search.backends import Clause
from rongcheng.search.models import DocType, SearchDocument
from rongcheng.search.query import matching
from rongcheng.search.text import Keyword, highlight, keywords, normalize, pinyin

NEAREST = 5
# Categories are counted among this many best sellers matching any word: a word found in
# most products (羊绒) is not grouped over the whole index for a hint.
NEAREST_SAMPLE = 200
SIMILAR = 0.5  # difflib ratio: 大衣外套 ~ 女士大衣 is 0.5, xyz ~ nz (女装) 0.4


def _has_match(doc_type: str, keyword: Keyword) -> bool:
    return matching(doc_type, [Clause(keyword)], ranked=False).exists()


def _spelled(keyword: Keyword) -> Keyword | None:
    """The keyword as pinyin, for a Chinese keyword typed with the wrong character."""
    if keyword.pinyin:
        return None
    full, _initials = pinyin(keyword.text)
    return Keyword(full, (full,), full) if full else None


def _homophone(doc_type: str, keyword: Keyword) -> str:
    """A word that sounds like the keyword in the best-selling title that has one:
    羊绒杉 → 羊绒衫 (the same pinyin, yangrongshan)."""
    spelled = _spelled(keyword)
    if spelled is None:
        return ""
    titles = (
        matching(doc_type, [Clause(spelled)], ranked=False)
        .order_by("-sales_count", "-object_id")
        .values_list("title", flat=True)[:5]
    )
    for title in titles:
        for part, is_hit in highlight(title, [spelled]):
            if is_hit:
                return part
    return ""


def did_you_mean(query: str, doc_type: str = DocType.PRODUCT) -> str:
    """The query with each keyword that finds nothing replaced by a homophone, or left out;
    empty when that changes nothing."""
    found = keywords(query)
    kept, changed = [], False
    for keyword in found:
        if _has_match(doc_type, keyword):
            kept.append(keyword.text)
            continue
        changed = True
        replacement = _homophone(doc_type, keyword)
        if replacement:
            kept.append(replacement)
    return " ".join(kept) if changed and kept else ""


def _by_matches(found: list[Keyword]) -> Counter[int]:
    """Products per category among the NEAREST_SAMPLE best sellers matching any single term
    of the query (the query relaxed): one bounded walk of the sales index."""
    loose = [Keyword(term, (term,)) for keyword in found for term in keyword.terms]
    loose += [spelled for keyword in found if (spelled := _spelled(keyword))]
    loose += [keyword for keyword in found if keyword.pinyin]
    if not loose:
        return Counter()
    clauses = [Clause(keyword) for keyword in dict.fromkeys(loose)]
    best_sellers = (
        matching(DocType.PRODUCT, clauses, ranked=False, every=False)
        .order_by("-sales_count", "-object_id")
        .values("id")[:NEAREST_SAMPLE]
    )
    rows = (
        SearchDocument.objects.filter(id__in=best_sellers)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .order_by("-n", "category_id")
    )
    return Counter(dict(rows))


def _similarity(query: str, node: CategoryNode) -> float:
    full, initials = pinyin(node.name)
    return max(
        SequenceMatcher(None, query, node.name.lower()).ratio(),
        SequenceMatcher(None, query, full).ratio(),
        SequenceMatcher(None, query, initials).ratio(),
    )


def nearest_categories(query: str, limit: int = NEAREST) -> list[CategoryNode]:
    """Categories close to a query that found nothing: first those holding products that
    match part of it, then those whose name (or its pinyin) looks like it, then the
    recommended ones."""
    tree = category_tree()
    chosen: dict[int, CategoryNode] = {}
    for category_id, _count in _by_matches(keywords(query)).most_common():
        try:
            chosen.setdefault(category_id, tree.get(category_id))
        except CategoryNotFound:
            continue
        if len(chosen) == limit:
            return list(chosen.values())
    compact = "".join(normalize(query).split())
    scored = sorted(
        ((score, node.id, node) for node in tree.walk() if (score := _similarity(compact, node))),
        key=lambda item: (-item[0], item[1]),
    )
    for score, _id, node in scored:
        if score >= SIMILAR:
            chosen.setdefault(node.id, node)
    for node in tree.recommended() or tree.roots:
        chosen.setdefault(node.id, node)
    return list(chosen.values())[:limit]
