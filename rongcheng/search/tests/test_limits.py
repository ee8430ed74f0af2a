"""A search lists at most RESULTS_LIMIT results: past it counting stops and relevance ranks the
best sellers among the matches. The shelf has five products matching 羊绒: the scarf (200
sold), the cardigan (80), the pullover and the turtleneck (50 each, the pullover indexed
later) and the coat (10); the limit is lowered to show what happens past it."""

import pytest

from rongcheng.search import nearest, selectors
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.selectors import advanced_search, quick_search

pytestmark = pytest.mark.django_db


def _names(results) -> list[str]:
    return [hit.card.name for hit in results.page]


@pytest.fixture
def limit_of_three(monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 3)


def test_under_the_limit_every_match_is_counted_and_ranked(shelf):
    results = quick_search(q="羊绒")
    assert (results.total, results.more, results.capped) == (5, False, set())
    assert results.counts == {"product": 5, "store": 0, "article": 0}


def test_past_the_limit_relevance_ranks_the_best_sellers(shelf, limit_of_three):
    results = quick_search(q="羊绒")
    assert (results.total, results.more, results.capped) == (3, True, {"product"})
    assert results.counts == {"product": 3, "store": 0, "article": 0}
    # The three best sellers; the pullover has 羊绒 in its category only, so it ranks last.
    names = _names(results)
    assert sorted(names[:2]) == ["女士圆领羊绒开衫", "羊绒围巾"]
    assert names[2] == "女士高领羊毛衫"
    page_two = quick_search(q="羊绒", per_page=2, page=2)
    assert _names(page_two) == ["女士高领羊毛衫"]
    assert page_two.page.paginator.num_pages == 2


def test_past_the_limit_every_keyword_still_must_match(shelf, limit_of_three, monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 2)
    # 女士 羊绒 matches the cardigan, the pullover, the turtleneck and the coat, not the scarf
    # (the best seller of all): the two best sellers among the matches, by relevance.
    results = quick_search(q="女士 羊绒")
    assert results.more
    assert _names(results) == ["女士圆领羊绒开衫", "女士高领羊毛衫"]


def test_past_the_limit_other_sorts_take_the_first_of_every_match(shelf, limit_of_three):
    by_price = advanced_search(filters=SearchFilters(q="羊绒", sort=SearchSort.PRICE))
    assert _names(by_price) == ["羊绒围巾", "女士高领羊毛衫", "女士圆领羊绒开衫"]
    newest = advanced_search(filters=SearchFilters(q="羊绒", sort=SearchSort.NEWEST))
    assert _names(newest) == ["女士高领羊毛衫", "女士圆领羊绒开衫", "女士高领羊绒衫"]
    assert newest.more


def test_past_the_limit_facets_still_count_every_match(shelf, limit_of_three):
    facets = advanced_search(filters=SearchFilters(q="羊绒")).facets
    assert sorted((v.label, v.count) for v in facets.brands) == [("绒城", 3), ("鄂尔多斯", 2)]
    assert sorted((v.label, v.count) for v in facets.categories) == [("女装", 4), ("配饰", 1)]


def test_the_other_types_are_counted_up_to_the_limit(shelf, monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 1)
    stores = quick_search(q="羊绒", doc_type="store")
    assert stores.counts == {"store": 0, "product": 1, "article": 0}
    assert (stores.more, stores.capped) == (False, {"product"})


def test_nearest_categories_count_the_best_sellers_of_each_word(shelf, monkeypatch):
    # 羊绒 is in three sweaters, the coat and the scarf; the scarf sells best.
    assert [n.name for n in nearest.nearest_categories("羊绒")][:1] == ["女士羊绒衫"]
    monkeypatch.setattr(nearest, "NEAREST_SAMPLE", 1)
    assert [n.name for n in nearest.nearest_categories("羊绒")][:1] == ["围巾"]
