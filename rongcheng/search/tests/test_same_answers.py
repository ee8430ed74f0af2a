"""Searches answer as they did when the full-text index decided every match (issue 8).

A fixed catalogue of 60 products made of the shop's words (the same seed every run), then a
set of searches answered twice: as the code does now (postings decide the matches, the
full-text index ranks) and with every match read from the full-text index, as before the
postings. Results, their order, counts and facet counts must be the same, on the database
of the run (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import random
from decimal import Decimal

import pytest

from rongcheng.catalog.models import Category
from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.search import nearest, postings, selectors
from rongcheng.search.backends import Clause, backend
from rongcheng.search.facets import Facets
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.models import SearchDocument
from rongcheng.search.query import matching
from rongcheng.search.services import index_rebuild
from rongcheng.search.text import Keyword, keywords

pytestmark = pytest.mark.django_db

AUDIENCES = ["女士", "男士"]
COLLARS = ["高领", "圆领", "V领"]
MATERIALS = ["羊绒", "山羊绒", "羊毛", "驼绒"]
ITEMS = ["羊绒衫", "开衫", "大衣", "围巾"]
SUBTITLES = ["cashmere sweater", "wool coat", "knit scarf", "温暖贴身"]
QUERIES = [
    "羊绒",
    "羊绒 女士",
    "山羊绒 开衫",
    "v领",
    "yangrong",
    "yr",
    "kais",
    "cashmere",
    "sweaters",
    "女士 围巾 驼绒",
    "绒",
    "羊",
    "大衣 cashmere",
    "不存在的词",
]


def _matched_by_full_text(doc_type, clauses, *, ranked, every=True):
    """The matching of before the postings: the full-text index for every statement."""
    documents = SearchDocument.objects.filter(doc_type=doc_type)
    return backend().match(documents, clauses, ranked=ranked, every=every) if clauses else documents


@pytest.fixture
def catalogue(db):
    rng = random.Random(8)  # made-up products, the same ones every run
    roots = [CategoryFactory(name=f"{audience}服饰") for audience in AUDIENCES]
    leaves = [
        CategoryFactory(name=f"{root.name[:2]}{item}", parent=root)
        for root in roots
        for item in ITEMS[:3]
    ]
    brands = [BrandFactory(name=name) for name in ("鄂尔多斯", "绒城", "草原")]
    for n in range(60):
        make_product(
            name=f"{rng.choice(AUDIENCES)}{rng.choice(COLLARS)}{rng.choice(MATERIALS)}"
            f"{rng.choice(ITEMS)}{n:02d}",
            subtitle=rng.choice(SUBTITLES),
            category=rng.choice(leaves),
            brand=rng.choice(brands),
            price=Decimal(rng.randrange(199, 3999)),
            sales_count=rng.randrange(0, 40),  # ties: the tie-breakers order them
        )
    index_rebuild()
    return roots, leaves, brands


def _searches(roots: list[Category], leaves: list[Category], brands) -> list[SearchFilters]:
    searches = []
    for q in QUERIES:
        searches += [
            SearchFilters(q=q),
            SearchFilters(q=q, sort=SearchSort.PRICE),
            SearchFilters(q=q, category_id=roots[0].id),
            SearchFilters(q=q, category_id=leaves[1].id, brand_id=brands[0].id),
            SearchFilters(q=q, brand_id=brands[1].id, price_max=Decimal("2000")),
        ]
    searches.append(SearchFilters(q="羊绒", name="开衫"))
    searches.append(SearchFilters(q="cashmere", name="大衣", sort=SearchSort.SALES))
    return searches


def _facets(facets: Facets | None):
    if facets is None:
        return None
    path = [node.id for node in facets.category_path]
    return path, facets.categories, facets.brands, facets.attributes


def _answer(filters: SearchFilters):
    """Everything a search shows on pages 1 and 2, facets included."""
    pages = []
    for page in (1, 2):
        found = selectors.advanced_search(filters=filters, page=page, per_page=7)
        pages.append(
            (
                [hit.card.id for hit in found.page],
                found.total,
                found.counts,
                found.capped,
                _facets(found.facets),
                [node.id for node in found.nearest_categories],
            )
        )
    return pages


def test_postings_answer_every_search_as_the_full_text_index_did(catalogue, monkeypatch):
    searches = _searches(*catalogue)
    for limit in (1000, 10):  # below the limit, and past it (capped counts, best sellers)
        monkeypatch.setattr(selectors, "RESULTS_LIMIT", limit)
        now = [_answer(filters) for filters in searches]
        with monkeypatch.context() as before:
            before.setattr(selectors, "matching", _matched_by_full_text)
            before.setattr(nearest, "matching", _matched_by_full_text)
            then = [_answer(filters) for filters in searches]
        for filters, answer_now, answer_then in zip(searches, now, then, strict=True):
            assert answer_now == answer_then, filters
    # The catalogue is one where searches differ: broad, narrow and empty ones, facets too.
    totals = [answer[0][1] for answer in then]
    assert max(totals) == 10 and min(totals) == 0
    assert any(answer[0][4][2] for answer in then)


def test_the_postings_of_a_word_are_its_full_text_matches(catalogue):
    terms = {term for q in QUERIES for keyword in keywords(q) for term in keyword.terms}
    assert len(terms) > 15
    for term in sorted(terms):
        for title_only in (False, True):
            clause = Clause(Keyword(term, (term,)), title_only=title_only)
            assert postings.answer([clause])
            for doc_type in ("product", "store"):
                now = set(matching(doc_type, [clause], ranked=False))
                then = set(_matched_by_full_text(doc_type, [clause], ranked=False))
                assert now == then, (term, title_only, doc_type)


def test_several_terms_and_spelled_keywords_are_left_to_the_full_text_index():
    assert not postings.answer([Clause(k) for k in keywords("女士 羊绒")])
    assert not postings.answer([Clause(k) for k in keywords("羊绒衫开衫")])  # two terms
    assert not postings.answer([Clause(k) for k in keywords("cashmere")])  # or pinyin yr…
    assert not postings.answer([Clause(Keyword("开", ("开",)), prefix=True)])
    assert postings.answer([Clause(k, title_only=True) for k in keywords("羊绒")])
