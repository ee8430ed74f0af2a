from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.errors import CategoryNotFound
from rongcheng.catalog.tests.factories import CategoryFactory
from rongcheng.helpcenter.models import Article, Column
from rongcheng.helpcenter.services import article_save, column_save
from rongcheng.search import selectors
from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.selectors import advanced_search, quick_search, suggest
from rongcheng.search.services import store_index_update
from rongcheng.stores.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def _names(results) -> list[str]:
    return [hit.card.name for hit in results.page]


def test_every_keyword_must_match(shelf):
    assert sorted(_names(quick_search(q="羊绒 开衫"))) == ["女士圆领羊绒开衫"]
    assert sorted(_names(quick_search(q="高领 yrs"))) == ["女士高领羊绒衫"]
    assert sorted(_names(quick_search(q="高领 yr"))) == ["女士高领羊绒衫"]
    assert sorted(_names(quick_search(q="nvshi kaishan"))) == ["女士圆领羊绒开衫"]
    assert _names(quick_search(q="羊绒 皮鞋")) == []


def test_partial_words_pinyin_and_initials_find_a_sweater(shelf):
    for q in ["羊绒衫", "羊绒", "yangrongshan", "yangrong", "yrs"]:
        assert "女士高领羊绒衫" in _names(quick_search(q=q)), q


def test_relevance_first_then_sales(shelf):
    # 羊绒衫 in the title beats 羊绒衫 in the category name only (the cardigan, 80 sold).
    assert _names(quick_search(q="羊绒衫"))[0] == "女士高领羊绒衫"
    # Without keywords the best sellers lead.
    assert _names(advanced_search(filters=SearchFilters()))[:2] == ["羊绒围巾", "女士圆领羊绒开衫"]


def test_hits_are_highlighted(shelf):
    hit = quick_search(q="yrs sweater").page[0]
    assert hit.title == [("女士高领", False), ("羊绒衫", True)]
    assert hit.summary == [("Cashmere ", False), ("sweater", True), (" 温暖贴身", False)]


def test_quick_search_also_finds_stores_of_the_visitor_city_first(shelf, regions):
    beijing = StoreFactory(
        name="绒城购北京直营店", city=regions["110100"], address="东城区王府井大街 8 号"
    )
    store_index_update(store_ids=[beijing.id])
    results = quick_search(q="绒城购", city_code="110100")
    assert results.counts == {"product": 0, "store": 2, "article": 0}
    assert [store.name for store in results.stores] == ["绒城购北京直营店", "绒城购东胜直营店"]
    assert results.nearest_categories == []  # stores were found: not a page of nothing
    stores = quick_search(q="绒城购", doc_type="store", city_code="150600")
    assert [store.name for store in stores.page] == ["绒城购东胜直营店", "绒城购北京直营店"]
    previews = quick_search(q="鄂尔多斯").stores
    assert [(s.name, s.city_code) for s in previews] == [("绒城购东胜直营店", "150600")]
    assert previews[0].summary == [("东胜区", False), ("鄂尔多斯", True), ("西街 1 号", False)]


def test_the_other_types_are_counted_in_one_statement(
    shelf, regions, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        column = column_save(column=Column(name="护理"))
        article_save(
            article=Article(column=column, title="羊绒衫怎样洗", status=Article.Status.PUBLISHED)
        )
    shops = [StoreFactory(name=f"羊绒{n}号店", city=regions["150600"]) for n in (1, 2)]
    store_index_update(store_ids=[shop.id for shop in shops])

    def counted(doc_type: str) -> tuple[dict[str, int], set[str], int]:
        with CaptureQueriesContext(connection) as queries:
            results = quick_search(q="羊绒", doc_type=doc_type)
        by_type = sum("GROUP BY" in q["sql"] and "doc_type" in q["sql"] for q in queries)
        return results.counts, results.capped, by_type

    assert counted("product") == ({"product": 5, "store": 2, "article": 1}, set(), 1)
    assert counted("article") == ({"article": 1, "product": 5, "store": 2}, set(), 1)
    monkeypatch.setattr(selectors, "RESULTS_LIMIT", 1)
    assert counted("product") == (
        {"product": 1, "store": 1, "article": 1},
        {"product", "store"},
        1,
    )
    assert counted("store") == (
        {"store": 1, "product": 1, "article": 1},
        {"store", "product"},
        1,
    )


def test_pages(shelf):
    first = advanced_search(filters=SearchFilters(q="羊绒", sort=SearchSort.PRICE), per_page=2)
    third = advanced_search(
        filters=SearchFilters(q="羊绒", sort=SearchSort.PRICE), per_page=2, page=3
    )
    assert (first.total, first.page.paginator.num_pages) == (5, 3)
    assert _names(first) == ["羊绒围巾", "女士高领羊毛衫"]
    assert _names(third) == ["山羊绒双面大衣"]


def test_filters_category_brand_attributes_price_and_name(shelf):
    def names(**filters) -> list[str]:
        return sorted(_names(advanced_search(filters=SearchFilters(**filters))))

    assert names(category_id=shelf.women.id) == [
        "女士圆领羊绒开衫",
        "女士高领羊毛衫",
        "女士高领羊绒衫",
        "山羊绒双面大衣",
    ]
    assert names(q="羊绒", brand_id=shelf.scarf.brand_id) == [
        "女士圆领羊绒开衫",
        "女士高领羊毛衫",
        "羊绒围巾",
    ]
    assert names(attributes=((shelf.collar.id, "高领"), (shelf.knit.id, "细针"))) == [
        "女士高领羊毛衫"
    ]
    assert names(price_min=Decimal("900"), price_max=Decimal("1280")) == [
        "女士圆领羊绒开衫",
        "女士高领羊绒衫",
    ]
    # The name field looks in product names only: 鄂尔多斯 is a brand, not in any name.
    assert names(name="鄂尔多斯") == []
    assert names(q="鄂尔多斯") == ["女士高领羊绒衫", "山羊绒双面大衣"]


def test_keywords_of_punctuation_only_list_the_best_sellers(shelf):
    results = advanced_search(filters=SearchFilters(q="！！ ？"))
    assert _names(results)[:2] == ["羊绒围巾", "女士圆领羊绒开衫"]
    assert results.total == 5


def test_an_unknown_category_is_an_error(shelf):
    with pytest.raises(CategoryNotFound):
        advanced_search(filters=SearchFilters(category_id=999999))


def _facet_links(results):
    """Each facet value with the filters its link leads to."""
    filters, facets = results.filters, results.facets
    for value in facets.categories:
        yield value, filters.with_changes(category_id=int(value.value))
    for value in facets.brands:
        yield value, filters.with_changes(brand_id=int(value.value))
    for facet in facets.attributes:
        for value in facet.values:
            yield value, filters.with_attribute(facet.attribute_id, value.value)


@pytest.mark.parametrize(
    "chosen",
    [
        {"q": "羊绒"},
        {"q": "羊绒", "category": "women"},
        {"category": "sweaters", "attr": "高领"},
        {"q": "yrs", "category": "women", "brand": True, "attr": "高领"},
        {"category": "women", "price_max": Decimal("1000")},
    ],
)
def test_facet_counts_equal_the_results_behind_each_link(shelf, chosen):
    filters = SearchFilters(
        q=chosen.get("q", ""),
        category_id=getattr(shelf, chosen["category"]).id if "category" in chosen else None,
        brand_id=shelf.cardigan.brand_id if chosen.get("brand") else None,
        attributes=((shelf.collar.id, chosen["attr"]),) if "attr" in chosen else (),
        price_max=chosen.get("price_max"),
    )
    results = advanced_search(filters=filters)
    links = list(_facet_links(results))
    assert links
    for value, behind in links:
        assert value.count == advanced_search(filters=behind).total, (value, behind)


def test_facets_of_a_category(shelf):
    results = advanced_search(filters=SearchFilters(q="羊绒", category_id=shelf.women.id))
    facets = results.facets
    assert [node.name for node in facets.category_path] == ["女装"]
    assert [(v.label, v.count) for v in facets.categories] == [("女士羊绒衫", 3), ("女士大衣", 1)]
    assert sorted((v.label, v.count) for v in facets.brands) == [("绒城", 2), ("鄂尔多斯", 2)]
    assert [
        (facet.name, [(v.label, v.count, v.selected) for v in facet.values])
        for facet in facets.attributes
    ] == [
        ("领型", [("高领", 2, False), ("圆领", 1, False)]),
        ("针法", [("粗针", 1, False), ("细针", 2, False)]),
    ]


def test_without_a_category_the_roots_are_the_category_facet(shelf):
    facets = advanced_search(filters=SearchFilters(q="羊绒")).facets
    assert [(v.label, v.count) for v in facets.categories] == [("女装", 4), ("配饰", 1)]
    assert facets.attributes == []


def test_no_results_offer_a_correction_and_the_nearest_categories(shelf):
    results = quick_search(q="羊绒杉")  # 杉 (fir) typed for 衫 (shirt): the same pinyin
    assert results.total == 0
    assert results.did_you_mean == "羊绒衫"
    assert [node.name for node in results.nearest_categories] == ["女士羊绒衫", "女士大衣", "围巾"]


def test_no_results_drop_a_keyword_that_finds_nothing(shelf):
    results = quick_search(q="围巾 qqq")
    assert results.did_you_mean == "围巾"
    assert [node.name for node in results.nearest_categories] == ["围巾"]


def test_no_results_fall_back_on_similar_names_then_recommended_categories(shelf):
    assert [node.name for node in quick_search(q="大衣外套").nearest_categories] == [
        "女士大衣",
        "围巾",
    ]
    assert [node.name for node in quick_search(q="xyz").nearest_categories] == ["围巾"]
    assert quick_search(q="xyz").did_you_mean == ""


def test_suggestions_by_prefix_and_pinyin(shelf):
    assert [(s.kind, s.text) for s in suggest(q="羊绒")] == [
        ("category", "女士羊绒衫"),
        ("product", "羊绒围巾"),
        ("product", "女士圆领羊绒开衫"),
        ("product", "女士高领羊毛衫"),
        ("product", "女士高领羊绒衫"),
        ("product", "山羊绒双面大衣"),
    ]
    assert [(s.kind, s.text) for s in suggest(q="wj")] == [
        ("category", "围巾"),
        ("product", "羊绒围巾"),
    ]
    assert [s.text for s in suggest(q="羊绒 kai")] == ["女士圆领羊绒开衫"]
    assert suggest(q="  ") == []
    assert len(suggest(q="羊", limit=3)) == 3


def test_a_search_runs_a_bounded_number_of_queries(shelf, django_assert_max_num_queries):
    filters = SearchFilters(
        q="羊绒",
        category_id=shelf.women.id,
        brand_id=shelf.cardigan.brand_id,
        attributes=((shelf.collar.id, "圆领"),),
    )
    advanced_search(filters=filters)  # warm the category tree cache
    # count, page, cards, the other types' counts (one statement); facets: categories ×
    # brands, brand names, key attributes (+ options), every attribute's values (one
    # statement, chosen or not).
    with django_assert_max_num_queries(9):
        results = advanced_search(filters=filters)
    assert _names(results) == ["女士圆领羊绒开衫"]


@pytest.mark.django_db
def test_categories_of_the_same_name_are_suggested_with_their_parent():
    women, men = CategoryFactory(name="女装"), CategoryFactory(name="男装")
    CategoryFactory(name="羊绒衫", parent=women)
    CategoryFactory(name="羊绒衫", parent=men)
    assert [(s.kind, s.text) for s in suggest(q="羊绒衫")] == [
        ("category", "羊绒衫（女装）"),
        ("category", "羊绒衫（男装）"),
    ]
