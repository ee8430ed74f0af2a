from decimal import Decimal
from urllib.parse import urlencode

from django.http import QueryDict

from rongcheng.search.filters import SearchFilters, SearchSort


def _parse(query: str) -> SearchFilters:
    return SearchFilters.from_params(QueryDict(query))


def test_parameters_are_read():
    filters = _parse(
        "q=羊绒+开衫&category=3&brand=7&attr=12:高领&attr=5:粗针&name=围巾"
        "&price_min=100&price_max=999.5&sort=-price&type=store"
    )
    assert filters == SearchFilters(
        q="羊绒 开衫",
        doc_type="store",
        category_id=3,
        brand_id=7,
        attributes=((5, "粗针"), (12, "高领")),
        name="围巾",
        price_min=Decimal("100.00"),
        price_max=Decimal("999.50"),
        sort=SearchSort.PRICE_DESC,
    )


def test_nonsense_is_ignored_not_an_error():
    filters = _parse(
        "category=abc&brand=-1&attr=x:1&attr=3:&attr=4&price_min=NaN&price_max=-5"
        "&sort=cheapest&type=secret"
    )
    assert filters == SearchFilters()


def test_a_reversed_price_range_is_swapped_and_the_last_attribute_value_wins():
    filters = _parse("price_min=500&price_max=100&attr=1:高领&attr=1:圆领")
    assert (filters.price_min, filters.price_max) == (Decimal("100.00"), Decimal("500.00"))
    assert filters.attributes == ((1, "圆领"),)


def test_the_sort_in_force():
    assert SearchFilters().ordering == SearchSort.SALES
    assert SearchFilters(q="羊绒").ordering == SearchSort.RELEVANCE
    assert SearchFilters(name="羊绒").ordering == SearchSort.RELEVANCE
    assert SearchFilters(sort=SearchSort.RELEVANCE).ordering == SearchSort.SALES
    assert SearchFilters(q="羊绒", sort=SearchSort.NEWEST).ordering == SearchSort.NEWEST


def test_canonical_parameters_leave_defaults_out_in_a_fixed_order():
    filters = _parse("sort=price&attr=9:粗针&q=羊绒&attr=2:高领&brand=4&price_max=800")
    assert filters.params(page=2) == [
        ("q", "羊绒"),
        ("brand", "4"),
        ("attr", "2:高领"),
        ("attr", "9:粗针"),
        ("price_max", "800.00"),
        ("sort", "price"),
        ("page", "2"),
    ]
    assert _parse("q=羊绒&sort=relevance").params() == [("q", "羊绒")]
    assert _parse("sort=sales").params() == []
    assert _parse(urlencode(filters.params())) == filters


def test_a_plain_mapping_of_lists_works_too():
    assert SearchFilters.from_params({"q": ["羊绒"], "attr": ["2:高领", "9:粗针"]}) == (
        SearchFilters(q="羊绒", attributes=((2, "高领"), (9, "粗针")))
    )


def test_changing_one_filter_keeps_the_others():
    filters = SearchFilters(q="羊绒", attributes=((2, "高领"),))
    assert filters.with_attribute(9, "粗针").attributes == ((2, "高领"), (9, "粗针"))
    assert filters.with_attribute(2, None).attributes == ()
    assert filters.with_changes(brand_id=4) == SearchFilters(
        q="羊绒", brand_id=4, attributes=((2, "高领"),)
    )
