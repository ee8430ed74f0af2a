import re

import pytest
from django.urls import reverse

from rongcheng.search import selectors
from rongcheng.search.tests.factories import build_shelf

pytestmark = pytest.mark.django_db

SEARCH = reverse("storefront:search")
# The count (with the ranking of the best sellers when sorted by relevance), the page, its
# cards, the store and article counts (one statement), the facets' group and its brand names,
# the form's brands: the same whatever the number of matches.
BROAD_WORD_QUERIES = 7


@pytest.fixture
def shelf(regions):
    return build_shelf(regions)


def _html(client, query: str = "", *, status: int = 200) -> str:
    response = client.get(f"{SEARCH}?{query}" if query else SEARCH)
    assert response.status_code == status
    return response.content.decode()


def _unmarked(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def test_quick_search_page_with_highlights_stores_and_tabs(client, shelf):
    html = _html(client, "q=yrs")
    assert "<mark>羊绒衫</mark>" in html
    assert "共 1 件商品" in html
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [
        "http://testserver/search/?q=yrs"
    ]
    html = _html(client, "q=东胜")
    assert "<mark>东胜</mark>" in html and "相关门店" in html
    assert 'href="/search/?q=%E4%B8%9C%E8%83%9C&amp;type=store"' in html


def test_facet_links_are_canonical_urls_with_counts(client, shelf):
    html = _html(client, f"q=羊绒&category={shelf.women.id}")
    sweaters = f"/search/?q=%E7%BE%8A%E7%BB%92&amp;category={shelf.sweaters.id}"
    assert re.search(
        rf'<a href="{re.escape(sweaters)}">女士羊绒衫</a> <span class="count">3</span>', html
    )
    collar = f"attr={shelf.collar.id}%3A%E9%AB%98%E9%A2%86"
    assert re.search(rf'href="[^"]*{collar}"[^>]*>高领 <span class="count">2</span>', html)
    assert "<title>“羊绒”的搜索结果 · 绒城购</title>" in html


def test_sort_links_and_pages(client, shelf, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "CATALOG_PAGE_SIZE": 2}
    html = _html(client, "q=羊绒&sort=price&page=2")
    names = _unmarked(html)
    assert names.index("女士圆领羊绒开衫") < names.index("女士高领羊绒衫")
    assert "羊绒围巾</div>" not in names
    assert 'rel="prev" href="/search/?q=%E7%BE%8A%E7%BB%92&amp;sort=price"' in html
    assert 'rel="next" href="/search/?q=%E7%BE%8A%E7%BB%92&amp;sort=price&amp;page=3"' in html
    assert 'class="current" aria-current="true">价格从低到高</a>' in html


def test_no_results_page_offers_a_correction_and_nearest_categories(client, shelf):
    html = _html(client, "q=羊绒杉")
    assert "没有找到与“羊绒杉”相关的商品" in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'href="/search/?q=%E7%BE%8A%E7%BB%92%E8%A1%AB">羊绒衫</a>' in html
    assert f'href="/search/?category={shelf.sweaters.id}">女士羊绒衫</a>' in html


def test_an_unknown_category_is_a_404_page(client, shelf):
    assert "没有这个类目" in _html(client, "category=999999", status=404)


def test_the_page_runs_a_bounded_number_of_queries(client, shelf, django_assert_max_num_queries):
    query = (
        f"q=羊绒&category={shelf.women.id}&attr={shelf.collar.id}:高领&brand={shelf.coat.brand_id}"
    )
    _html(client, query)  # warm the category tree cache
    with django_assert_max_num_queries(16):
        html = _html(client, query)
    assert "女士高领羊绒衫" in _unmarked(html) and "女士圆领羊绒开衫" not in _unmarked(html)


def test_a_broad_word_runs_as_many_queries_past_the_limit(
    client, shelf, monkeypatch, django_assert_num_queries
):
    # The walk of the sales index, as for a word in most of a large catalogue (on PostgreSQL
    # the planner's estimates choose it, one statement more: search/tests/test_filtered_page.py).
    monkeypatch.setattr(selectors, "sorting_every_match_pays", lambda **_: False)
    _html(client, "q=羊绒")  # warm the category tree cache
    with django_assert_num_queries(BROAD_WORD_QUERIES):
        html = _html(client, "q=羊绒")
    assert "共 5 件商品" in html
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 2)
    # Past the limit the walk to the best sellers counts and ranks them in one statement, the
    # page's rows are another; the walk and the facet counts are then kept until the index
    # changes.
    with django_assert_num_queries(BROAD_WORD_QUERIES):
        html = _html(client, "q=羊绒")
    assert "超过 2 件商品，列出前 2 件" in html
    assert '商品 <span class="count">2+</span>' in html
    with django_assert_num_queries(BROAD_WORD_QUERIES - 2):
        assert "超过 2 件商品，列出前 2 件" in _html(client, "q=羊绒")


def test_every_page_has_the_search_box_with_suggestions(client):
    home = client.get(reverse("storefront:home")).content.decode()
    for page in (_html(client), home):
        assert 'action="/search/"' in page
        assert 'data-suggest="/api/search/suggest"' in page
        assert "storefront/js/search-suggest.js" in page
