"""The buyer's orders through the API: tabs, detail with its timeline, change, cancel, and
asking to cancel a paid order; another member's order is not found and refusals change
nothing."""

import pytest
import time_machine

from rongcheng.api.tests.http import send
from rongcheng.checkout.tests.buying import buy, pay
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.models import Stock
from rongcheng.orders.models import CancellationRequest, Order, OrderEvent

pytestmark = pytest.mark.django_db

API = "/api/orders"


def _send(client, method, path, body=None):
    return send(client, method, f"{API}{path}", body)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def placed(client, shop):
    """Two checkouts: an unpaid courier order, then a paid pick-up order."""
    shop.stock(shop.store_a, shop.sku_m, 5)
    unpaid = buy(shop, shop.sku_m, 2, address=shop.address).orders.get()
    paid_checkout = buy(shop, shop.sku_m, 1, pickup=shop.store_a)
    pay(paid_checkout, paid_at=paid_checkout.created_at)
    client.force_login(shop.buyer)
    return unpaid, paid_checkout.orders.get()


def test_every_order_endpoint_needs_a_login(client):
    number = "20260301000000000001"
    for response in (
        client.get(API),
        client.get(f"{API}/{number}"),
        _send(client, "patch", f"/{number}", {"note": "x"}),
        _send(client, "post", f"/{number}/cancel"),
        _send(client, "post", f"/{number}/cancellation-requests", {"reason": "不要了"}),
    ):
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_orders_by_tab_and_page(client, placed):
    unpaid, paid = placed
    everything = client.get(f"{API}?per_page=1").json()
    assert (everything["count"], everything["pages"], everything["page"]) == (2, 2, 1)
    assert [order["number"] for order in everything["items"]] == [paid.number]
    second = client.get(f"{API}?per_page=1&page=2").json()
    assert [order["number"] for order in second["items"]] == [unpaid.number]
    waiting = client.get(f"{API}?tab=awaiting_payment").json()
    (item,) = waiting["items"]
    assert item | {"created_at": None, "pay_due_at": None} == {
        "number": unpaid.number,
        "checkout_number": unpaid.checkout.number,
        "status": "awaiting_payment",
        "status_label": "待付款",
        "refunding": False,
        "store_name": "鄂尔多斯 A 店",
        "delivery": "courier",
        "subtotal": "2560.00",
        "discount": "0.00",
        "shipping_fee": "0.00",
        "total": "2560.00",
        "created_at": None,
        "pay_due_at": None,
        "paid_at": None,
        "lines": [
            {
                "sku_id": unpaid.lines.get().sku_id,
                "product_id": unpaid.lines.get().product_id,
                "product_name": "经典圆领羊绒衫",
                "sku_code": unpaid.lines.get().sku_code,
                "colour": unpaid.lines.get().colour,
                "size": "M",
                "quantity": 2,
                "unit_price": "1280.00",
                "total": "2560.00",
            }
        ],
    }
    assert item["pay_due_at"] == "2026-03-01T02:30:00Z"
    shipping = client.get(f"{API}?tab=awaiting_shipment").json()["items"]
    assert [order["number"] for order in shipping] == [paid.number]
    assert client.get(f"{API}?tab=closed").json()["count"] == 0


def test_detail_with_address_and_timeline(client, placed):
    unpaid, paid = placed
    detail = client.get(f"{API}/{paid.number}").json()
    assert [(e["from_status"], e["to_status"]) for e in detail["events"]] == [
        ("", "awaiting_payment"),
        ("awaiting_payment", "paid"),
    ]
    assert (detail["status"], detail["paid_at"]) == ("paid", "2026-03-01T02:00:00Z")
    courier = client.get(f"{API}/{unpaid.number}").json()
    assert (courier["recipient"], courier["phone"], courier["address_detail"]) == (
        "李四",
        "13900000001",
        "鄂尔多斯大街 1 号",
    )
    assert courier["city"] == {"code": "150600", "name": "鄂尔多斯市"}


def test_another_members_order_is_not_found_and_untouched(client, placed):
    unpaid, _paid = placed
    client.force_login(UserFactory())
    for response in (
        client.get(f"{API}/{unpaid.number}"),
        _send(client, "patch", f"/{unpaid.number}", {"note": "改了"}),
        _send(client, "post", f"/{unpaid.number}/cancel"),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "order_not_found")
    unpaid.refresh_from_db()
    assert (unpaid.status, unpaid.note) == ("awaiting_payment", "")
    assert client.get(API).json()["count"] == 0


def test_changing_and_cancelling_an_unpaid_order(client, placed, shop):
    unpaid, paid = placed
    changed = _send(
        client,
        "patch",
        f"/{unpaid.number}",
        {"note": "放门卫", "address_id": shop.beijing_address.id},
    )
    assert changed.status_code == 200
    assert (changed.json()["note"], changed.json()["address_detail"]) == (
        "放门卫",
        "王府井大街 8 号",
    )
    refused = _send(client, "patch", f"/{paid.number}", {"note": "晚点"})
    assert (refused.status_code, refused.json()["code"]) == (409, "order_not_changeable")
    paid.refresh_from_db()
    assert paid.note == ""

    stock = Stock.objects.get(store=shop.store_a, sku=shop.sku_m)
    assert stock.reserved == 3
    cancelled = _send(client, "post", f"/{unpaid.number}/cancel", {"reason": "买错了"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["events"][-1]["reason"] == "买错了"
    stock.refresh_from_db()
    assert stock.reserved == 1

    events = OrderEvent.objects.count()
    again = _send(client, "post", f"/{paid.number}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "order_state_invalid")
    assert (Order.objects.get(pk=paid.pk).status, OrderEvent.objects.count()) == ("paid", events)


def test_asking_to_cancel_a_paid_order(client, placed):
    unpaid, paid = placed
    asked = _send(client, "post", f"/{paid.number}/cancellation-requests", {"reason": "不想要了"})
    assert asked.status_code == 201
    (request,) = asked.json()["cancellation_requests"]
    assert (request["status"], request["reason"], request["answer"]) == ("pending", "不想要了", "")
    assert request["due_at"] == "2026-03-03T02:00:00Z"
    assert asked.json()["refunding"] is True
    assert [o["number"] for o in client.get(f"{API}?tab=refunding").json()["items"]] == [
        paid.number
    ]

    twice = _send(client, "post", f"/{paid.number}/cancellation-requests", {"reason": "再问"})
    unpaid_ask = _send(client, "post", f"/{unpaid.number}/cancellation-requests", {"reason": "x"})
    for response in (twice, unpaid_ask):
        assert (response.status_code, response.json()["code"]) == (409, "cancellation_invalid")
    assert CancellationRequest.objects.count() == 1
    blank = _send(client, "post", f"/{paid.number}/cancellation-requests", {"reason": "  "})
    assert (blank.status_code, blank.json()["code"]) == (422, "invalid_input")
