"""库存 through the pages: the stock query, receipts, stock-take corrections, the journal."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.inventory.models import Stock, StockMovement
from rongcheng.inventory.selectors import STAFF_PAGE_SIZE
from rongcheng.inventory.services import listing_set, stock_receive
from rongcheng.sellercenter.tests.conftest import snapshot

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr data-sku="(?P<code>[^"]+)">.*?<span class="variant">(?P<variant>[^<]+)</span>.*?'
    r'<td class="num" data-on-hand>(?P<on_hand>-?\d+)</td>\s*'
    r'<td class="num">(?P<reserved>-?\d+)</td>\s*<td class="num[^"]*">(?P<available>-?\d+)</td>',
    re.S,
)


def _stock(response) -> dict[str, tuple[str, int, int, int]]:
    """SKU code → (colour / size, on hand, reserved, available), in page order."""
    return {
        m["code"]: (m["variant"], int(m["on_hand"]), int(m["reserved"]), int(m["available"]))
        for m in ROW.finditer(response.content.decode())
    }


@pytest.fixture
def signed_in(client, shops):
    client.force_login(shops.clerk_a)
    return client


@pytest.fixture
def codes(shops):
    scarf = shops.scarf.skus.get()
    medium, large = shops.sweater.skus.order_by("position")
    return scarf.code, medium.code, large.code


def _on_hand(store, code) -> int:
    return Stock.objects.get(store=store, sku__code=code).on_hand


def test_the_stock_query_shows_every_sku_the_store_deals_in(signed_in, shops, codes):
    scarf, medium, large = codes
    Stock.objects.filter(store=shops.a, sku__code=medium).update(reserved=2)
    coat = make_product(name="羊绒大衣", style_code="C3001", sizes=("S",))
    listing_set(actor=shops.clerk_a, store_id=shops.a.id, product_ids=[coat.id], listed=True)
    coat_code = coat.skus.get().code
    url = reverse("sellercenter:stock", args=[shops.a.id])

    rows = _stock(signed_in.get(url))
    # By style code: the coat is listed but has no stock row yet, so it shows zeros.
    assert rows == {
        coat_code: ("驼色 / S", 0, 0, 0),
        medium: ("驼色 / M", 3, 2, 1),
        large: ("驼色 / L", 3, 0, 3),
        scarf: ("驼色 / F", 3, 0, 3),
    }
    assert list(_stock(signed_in.get(url, {"state": "zero"}))) == [coat_code]
    assert list(_stock(signed_in.get(url, {"state": "reserved"}))) == [medium]
    assert list(_stock(signed_in.get(url, {"state": "available"}))) == [medium, large, scarf]
    assert list(_stock(signed_in.get(url, {"q": "围巾"}))) == [scarf]
    assert list(_stock(signed_in.get(url, {"q": "s2001"}))) == [medium, large]
    assert list(_stock(signed_in.get(url, {"q": large}))) == [large]


def test_stock_stays_listed_after_the_product_is_delisted(signed_in, shops, codes):
    listing_set(
        actor=shops.clerk_a, store_id=shops.a.id, product_ids=[shops.scarf.id], listed=False
    )
    rows = _stock(signed_in.get(reverse("sellercenter:stock", args=[shops.a.id])))
    assert rows[codes[0]] == ("驼色 / F", 3, 0, 3)


def test_the_stock_list_is_paginated_and_keeps_its_filters(signed_in, shops):
    category, brand = CategoryFactory(name="披肩"), BrandFactory()
    products = [
        make_product(name=f"披肩{n:02d}", style_code=f"P{n:03d}", category=category, brand=brand)
        for n in range(STAFF_PAGE_SIZE + 3)
    ]
    listing_set(
        actor=shops.clerk_a,
        store_id=shops.a.id,
        product_ids=[product.id for product in products],
        listed=True,
    )
    url = reverse("sellercenter:stock", args=[shops.a.id])
    first = signed_in.get(url, {"state": "zero"})
    assert len(_stock(first)) == STAFF_PAGE_SIZE
    assert "?state=zero&amp;page=2" in first.content.decode()
    assert len(_stock(signed_in.get(url, {"state": "zero", "page": 2}))) == 3


def test_receiving_stock_through_the_page(signed_in, shops, codes):
    scarf, medium, _large = codes
    other_store = snapshot(shops.b)
    response = signed_in.post(
        reverse("sellercenter:stock_receive", args=[shops.a.id]),
        {
            "receive-sku": f" {scarf} ",
            "receive-quantity": "5",
            "receive-reference": "DB-2026-001",
            "receive-note": "总部配货",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sellercenter:stock", args=[shops.a.id]) + (
        f"?q={scarf}"
    )
    page = signed_in.get(response["Location"])
    assert f"已入库 {scarf} × 5。" in page.content.decode()
    assert _stock(page) == {scarf: ("驼色 / F", 8, 0, 8)}

    assert _on_hand(shops.a, scarf) == 8
    assert _on_hand(shops.a, medium) == 3
    movement = StockMovement.objects.filter(store=shops.a).first()
    assert (
        movement.sku.code,
        movement.kind,
        movement.on_hand_delta,
        movement.on_hand_after,
        movement.actor,
        movement.reference,
        movement.note,
    ) == (scarf, "receipt", 5, 8, shops.clerk_a, "DB-2026-001", "总部配货")
    assert snapshot(shops.b) == other_store


def test_a_stock_take_correction_through_the_page(signed_in, shops, codes):
    scarf = codes[0]
    response = signed_in.post(
        reverse("sellercenter:stock_adjust", args=[shops.a.id]),
        {"adjust-sku": scarf, "adjust-delta": "-2", "adjust-note": "盘点短少 2 件"},
        follow=True,
    )
    assert f"已调整 {scarf} -2，现在库 1。" in response.content.decode()
    assert _on_hand(shops.a, scarf) == 1
    movement = StockMovement.objects.filter(store=shops.a).first()
    assert (movement.kind, movement.on_hand_delta, movement.on_hand_after, movement.note) == (
        "adjustment",
        -2,
        1,
        "盘点短少 2 件",
    )


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        ("stock_receive", {"receive-sku": "NOPE", "receive-quantity": "5"}, "没有这个 SKU 编码。"),
        ("stock_receive", {"receive-sku": "{scarf}", "receive-quantity": "0"}, "大于或等于1"),
        ("stock_receive", {"receive-sku": "{scarf}", "receive-quantity": "-5"}, "大于或等于1"),
        ("stock_receive", {"receive-sku": "{scarf}", "receive-quantity": "五"}, "输入整数"),
        ("stock_receive", {"receive-sku": "", "receive-quantity": "5"}, "这个字段是必填项"),
        (
            "stock_adjust",
            {"adjust-sku": "{scarf}", "adjust-delta": "-1", "adjust-note": ""},
            "这个字段是必填项",
        ),
        (
            "stock_adjust",
            {"adjust-sku": "{scarf}", "adjust-delta": "0", "adjust-note": "复盘"},
            "调整数量不能为零。",
        ),
        (
            "stock_adjust",
            {"adjust-sku": "{scarf}", "adjust-delta": "-4", "adjust-note": "盘亏"},
            "库存不足：调整后的数量不能少于零或已预留的数量。",
        ),
        (
            "stock_adjust",
            {"adjust-sku": "{medium}", "adjust-delta": "-2", "adjust-note": "盘亏"},
            "库存不足",  # 3 on hand, 2 of them reserved for orders
        ),
    ],
)
def test_bad_input_writes_nothing_and_says_why(signed_in, shops, codes, url_name, data, message):
    Stock.objects.filter(store=shops.a, sku__code=codes[1]).update(reserved=2)
    before = snapshot(shops.a)
    values = {key: value.format(scarf=codes[0], medium=codes[1]) for key, value in data.items()}
    response = signed_in.post(reverse(f"sellercenter:{url_name}", args=[shops.a.id]), values)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # The answer stands at the form's address: its search still goes to the stock list.
    assert f'method="get" action="{reverse("sellercenter:stock", args=[shops.a.id])}"' in html
    assert snapshot(shops.a) == before


def test_the_journal_lists_the_stores_own_movements_newest_first(signed_in, shops, codes):
    scarf, medium, _large = codes
    ids = {sku.code: sku.id for sku in shops.sweater.skus.all()} | {
        scarf: shops.scarf.skus.get().id
    }
    stock_receive(actor=shops.clerk_a, store_id=shops.a.id, lines=[(ids[medium], 4)], note="补货")
    stock_receive(actor=shops.clerk_b, store_id=shops.b.id, lines=[(ids[medium], 9)])
    url = reverse("sellercenter:movements", args=[shops.a.id])

    html = signed_in.get(url, {"q": medium}).content.decode()
    assert html.count("<tr>") == 1 + 2  # the head row, then the receipt and the first stock
    assert re.search(r"\+4</td>.*?>7</td>.*?补货", html, re.S)
    assert "+9" not in html
    # Three opening receipts and the top-up; another store's receipt is not among them.
    assert signed_in.get(url).content.decode().count("<tr>") == 1 + 4


def test_the_stock_pages_queries_do_not_grow_with_the_range(
    signed_in, shops, django_assert_max_num_queries
):
    category, brand = CategoryFactory(name="批量"), BrandFactory()

    def add(count, start):
        products = [
            make_product(name=f"款{n}", style_code=f"B{n:04d}", category=category, brand=brand)
            for n in range(start, start + count)
        ]
        ids = [product.id for product in products]
        listing_set(actor=shops.clerk_a, store_id=shops.a.id, product_ids=ids, listed=True)
        lines = [(product.skus.get().id, 1) for product in products]
        stock_receive(actor=shops.clerk_a, store_id=shops.a.id, lines=lines)

    urls = [
        reverse(f"sellercenter:{name}", args=[shops.a.id]) for name in ("stock", "movements")
    ] + [reverse("sellercenter:index")]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert signed_in.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    add(20, 0)
    signed_in.get(urls[0])  # the visitor's city is remembered on the first visit
    small = queries()
    add(180, 20)
    for url in urls:
        # Session, user, memberships, the store and the role check, then the page's own reads.
        with django_assert_max_num_queries(13):
            assert signed_in.get(url).status_code == 200
    assert queries() == small
