"""The bag through the API: today's price, the lines' problems, and refusals that change
nothing."""

import pytest
import time_machine

from rongcheng.api.tests.http import send
from rongcheng.cart.models import BagLine
from rongcheng.inventory.models import Stock

pytestmark = pytest.mark.django_db

API = "/api/bag"


def _send(client, method, path, body=None):
    return send(client, method, f"{API}{path}", body)


@pytest.fixture
def buyer_api(client, shop):
    shop.stock(shop.store_a, shop.sku_m, 3)
    shop.stock(shop.store_a, shop.sku_l, 1)
    client.force_login(shop.buyer)
    return client


def _lines(user):
    return list(
        BagLine.objects.filter(bag__user=user)
        .order_by("sku_id")
        .values_list("sku_id", "quantity", "selected")
    )


def test_every_bag_endpoint_needs_a_login(client):
    for method, path in [
        ("get", ""),
        ("post", "/lines"),
        ("patch", "/lines/1"),
        ("delete", "/lines/1"),
        ("post", "/selection"),
    ]:
        response = _send(client, method, path)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
def test_adding_shows_the_bag_at_todays_price(buyer_api, shop):
    response = _send(buyer_api, "post", "/lines", {"sku_id": shop.sku_m.id, "quantity": 2})
    assert response.status_code == 200
    assert response.json() == {
        "lines": [
            {
                "sku_id": shop.sku_m.id,
                "sku_code": shop.sku_m.code,
                "product_id": shop.product.id,
                "product_name": "经典圆领羊绒衫",
                "colour": shop.sku_m.colour,
                "size": "M",
                "quantity": 2,
                "selected": True,
                "price": {
                    "amount": "1280.00",
                    "regular": "1280.00",
                    "is_special": False,
                    "special_ends_at": None,
                },
                "total": "2560.00",
                "problem": "",
            }
        ],
        "count": 2,
        "selected_total": "2560.00",
    }
    assert buyer_api.get(API).json()["count"] == 2


def test_quantity_selection_and_removal(buyer_api, shop):
    _send(buyer_api, "post", "/lines", {"sku_id": shop.sku_m.id})
    _send(buyer_api, "post", "/lines", {"sku_id": shop.sku_l.id})

    # JSON Schema's integer: 3.0 is 3.
    changed = _send(buyer_api, "patch", f"/lines/{shop.sku_m.id}", {"quantity": 3.0})
    assert changed.status_code == 200
    assert (changed.json()["count"], changed.json()["selected_total"]) == (4, "5120.00")

    unticked = _send(
        buyer_api, "post", "/selection", {"sku_ids": [shop.sku_m.id], "selected": False}
    )
    assert unticked.json()["selected_total"] == "1280.00"
    assert _lines(shop.buyer) == [(shop.sku_m.id, 3, False), (shop.sku_l.id, 1, True)]

    removed = _send(buyer_api, "delete", f"/lines/{shop.sku_l.id}")
    assert removed.status_code == 200
    assert [line["sku_id"] for line in removed.json()["lines"]] == [shop.sku_m.id]
    assert _lines(shop.buyer) == [(shop.sku_m.id, 3, False)]


def test_a_line_that_sold_out_is_marked(buyer_api, shop):
    _send(buyer_api, "post", "/lines", {"sku_id": shop.sku_l.id})
    Stock.objects.filter(store=shop.store_a, sku=shop.sku_l).update(on_hand=0)
    line = buyer_api.get(API).json()["lines"][0]
    assert (line["problem"], buyer_api.get(API).json()["selected_total"]) == ("sold_out", "0.00")


def test_refusals_change_nothing(buyer_api, shop):
    _send(buyer_api, "post", "/lines", {"sku_id": shop.sku_m.id})
    short = _send(buyer_api, "post", "/lines", {"sku_id": shop.sku_m.id, "quantity": 3})
    assert (short.status_code, short.json()["code"]) == (409, "sku_unavailable")
    missing = _send(buyer_api, "patch", f"/lines/{shop.sku_l.id}", {"quantity": 1})
    assert (missing.status_code, missing.json()["code"]) == (404, "bag_line_not_found")
    gone = _send(buyer_api, "delete", f"/lines/{shop.sku_l.id}")
    assert (gone.status_code, gone.json()["code"]) == (404, "bag_line_not_found")
    zero = _send(buyer_api, "patch", f"/lines/{shop.sku_m.id}", {"quantity": 0})
    assert (zero.status_code, zero.json()["code"]) == (422, "invalid_input")
    number = _send(buyer_api, "post", "/selection", {"sku_ids": [shop.sku_m.id], "selected": 0})
    assert (number.status_code, number.json()["code"]) == (422, "invalid_input")
    text = _send(buyer_api, "patch", f"/lines/{shop.sku_m.id}", {"quantity": "2"})
    assert (text.status_code, text.json()["code"]) == (422, "invalid_input")
    # Larger than a database integer: refused before it reaches SQLite, which would raise.
    huge = _send(buyer_api, "post", "/selection", {"sku_ids": [2**63], "selected": False})
    assert (huge.status_code, huge.json()["code"]) == (422, "invalid_input")
    assert _lines(shop.buyer) == [(shop.sku_m.id, 1, True)]
