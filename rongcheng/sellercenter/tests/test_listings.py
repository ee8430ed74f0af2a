"""商品上下架 through the page: the catalogue with the store's state, and bulk changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.inventory.models import StoreListing
from rongcheng.inventory.selectors import STAFF_PAGE_SIZE
from rongcheng.sellercenter.tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def _listed(store) -> set[int]:
    return set(
        StoreListing.objects.filter(store=store, is_listed=True).values_list(
            "product_id", flat=True
        )
    )


ROW = re.compile(
    r'<tr>.*?name="product" value="(?P<id>\d+)".*?<strong>(?P<name>[^<]+)</strong>'
    r'.*?<td class="col-wide">(?P<category>[^<]*)</td>'
    r'.*?<td class="num col-wide">(?P<skus>\d+)</td>\s*<td class="num">(?P<on_hand>\d+)</td>'
    r"\s*<td class=\"col-state\">(?P<state>.*?)</td>",
    re.S,
)


def _rows(response) -> dict[str, dict]:
    """The product rows of the page, by name in page order."""
    return {m["name"]: m.groupdict() for m in ROW.finditer(response.content.decode())}


def _names(response) -> list[str]:
    return list(_rows(response))


@pytest.fixture
def signed_in(client, shops):
    client.force_login(shops.clerk_a)
    return client


def test_the_page_shows_the_catalogue_with_the_stores_listing_state(signed_in, shops):
    coat = make_product(name="羊绒大衣", style_code="C3001")
    url = reverse("sellercenter:listings", args=[shops.a.id])

    rows = _rows(signed_in.get(url))
    assert list(rows) == ["羊绒大衣", "圆领羊绒衫", "羊绒围巾"]  # by style code
    assert "未上架" in rows["羊绒大衣"]["state"]
    assert "在售" in rows["圆领羊绒衫"]["state"]
    assert (rows["圆领羊绒衫"]["skus"], rows["圆领羊绒衫"]["on_hand"]) == ("2", "6")
    assert (rows["羊绒大衣"]["skus"], rows["羊绒大衣"]["on_hand"]) == ("1", "0")
    assert rows["羊绒围巾"]["category"] == "围巾"

    assert _names(signed_in.get(url, {"status": "unlisted"})) == ["羊绒大衣"]
    assert _names(signed_in.get(url, {"status": "listed"})) == ["圆领羊绒衫", "羊绒围巾"]
    assert _names(signed_in.get(url, {"q": "围巾"})) == ["羊绒围巾"]
    assert _names(signed_in.get(url, {"q": "s2001"})) == ["圆领羊绒衫"]
    category = shops.scarf.category_id
    assert _names(signed_in.get(url, {"category": category})) == ["羊绒围巾"]
    # A value that is not one of the choices filters nothing rather than failing.
    assert len(_names(signed_in.get(url, {"category": "x", "status": "maybe"}))) == 3
    assert coat.id not in _listed(shops.a)


def test_a_category_filter_takes_in_its_subcategories(signed_in, shops):
    scarves = CategoryFactory(name="丝巾", parent_id=shops.scarf.category_id)
    make_product(name="真丝羊绒丝巾", style_code="W1002", category=scarves)
    url = reverse("sellercenter:listings", args=[shops.a.id])
    response = signed_in.get(url, {"category": shops.scarf.category_id})
    assert _names(response) == ["羊绒围巾", "真丝羊绒丝巾"]
    assert "\u3000丝巾" in response.content.decode()  # indented under its parent


def test_the_list_is_paginated_and_keeps_its_filters(signed_in, shops):
    category, brand = CategoryFactory(name="披肩"), BrandFactory()
    for n in range(STAFF_PAGE_SIZE + 5):
        make_product(name=f"披肩{n:02d}", style_code=f"P{n:03d}", category=category, brand=brand)
    url = reverse("sellercenter:listings", args=[shops.a.id])
    first = signed_in.get(url, {"q": "披肩"})
    assert len(_names(first)) == STAFF_PAGE_SIZE
    assert "?q=%E6%8A%AB%E8%82%A9&amp;page=2" in first.content.decode()
    second = signed_in.get(url, {"q": "披肩", "page": 2})
    assert _names(second) == [f"披肩{n:02d}" for n in range(STAFF_PAGE_SIZE, STAFF_PAGE_SIZE + 5)]


def test_delisting_the_checked_products_changes_exactly_those_rows(signed_in, shops):
    other_store = snapshot(shops.b)
    url = reverse("sellercenter:listings_update", args=[shops.a.id])
    response = signed_in.post(
        url, {"product": [shops.scarf.id], "action": "delist", "back": "q=羊绒&page=1&evil=1"}
    )
    target = reverse("sellercenter:listings", args=[shops.a.id])
    assert response.status_code == 302
    assert response["Location"] == f"{target}?q=%E7%BE%8A%E7%BB%92&page=1"
    assert _listed(shops.a) == {shops.sweater.id}
    scarf = StoreListing.objects.get(store=shops.a, product=shops.scarf)
    assert scarf.delisted_at is not None
    assert snapshot(shops.b) == other_store
    page = signed_in.get(response["Location"])
    assert "已下架 1 件商品。" in page.content.decode()


def test_listing_new_products_creates_their_listings(signed_in, shops):
    coat, hat = make_product(name="羊绒大衣"), make_product(name="羊绒帽")
    url = reverse("sellercenter:listings_update", args=[shops.a.id])
    signed_in.post(url, {"product": [coat.id, hat.id, shops.scarf.id], "action": "list"})
    assert _listed(shops.a) == {shops.scarf.id, shops.sweater.id, coat.id, hat.id}
    assert _listed(shops.b) == {shops.scarf.id, shops.sweater.id}
    page = signed_in.get(reverse("sellercenter:listings", args=[shops.a.id]))
    assert "已上架 2 件商品。" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "list"}, "请先勾选商品。"),
        ({"product": ["1x"], "action": "list"}, "选择的商品无效。"),
        ({"product": ["-4"], "action": "delist"}, "选择的商品无效。"),
        ({"product": [str(n) for n in range(1, 30)], "action": "list"}, "一次最多选择 20 件"),
        ({"product": ["1"], "action": "burn"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_writes_nothing_and_says_why(signed_in, shops, data, message):
    before = snapshot(shops.a)
    response = signed_in.post(
        reverse("sellercenter:listings_update", args=[shops.a.id]), data, follow=True
    )
    assert message in response.content.decode()
    assert snapshot(shops.a) == before


def test_a_product_the_platform_withdrew_cannot_be_listed(signed_in, shops):
    withdrawn = make_product(name="停售款", is_active=False)
    before = snapshot(shops.a)
    response = signed_in.post(
        reverse("sellercenter:listings_update", args=[shops.a.id]),
        {"product": [withdrawn.id, shops.scarf.id], "action": "list"},
        follow=True,
    )
    assert "有商品不在商品库中或已停售，不能上架。" in response.content.decode()
    assert snapshot(shops.a) == before


def test_the_listing_page_queries_do_not_grow_with_the_catalogue(
    signed_in, shops, django_assert_max_num_queries
):
    category, brand = CategoryFactory(name="批量"), BrandFactory()
    url = reverse("sellercenter:listings", args=[shops.a.id])

    def add(count, start):
        for n in range(start, start + count):
            make_product(name=f"款{n}", style_code=f"B{n:04d}", category=category, brand=brand)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(url, {"status": "unlisted"}).status_code == 200
        return len(captured)

    add(20, 0)
    signed_in.get(url)  # the visitor's city and the category tree are remembered
    small = queries()
    add(180, 20)
    # Session, user, memberships, the store and the role check, the count and the page.
    with django_assert_max_num_queries(12):
        assert signed_in.get(url, {"status": "unlisted"}).status_code == 200
    assert queries() == small
