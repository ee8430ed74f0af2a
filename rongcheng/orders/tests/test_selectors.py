import datetime

import pytest
import time_machine

from rongcheng.checkout.tests.buying import buy, pay
from rongcheng.orders.errors import OrderNotFound
from rongcheng.orders.models import Order
from rongcheng.orders.selectors import (
    buyer_order_detail,
    buyer_orders,
    store_order_detail,
    store_orders,
    three_months_ago,
)
from rongcheng.orders.services import cancellation_request, order_cancel
from rongcheng.orders.state import transition
from rongcheng.stores.errors import StoreAccessDenied

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def orders(mall):
    """Store A: one unpaid, one paid with a cancellation asked, one shipped, one cancelled; and
    an unpaid order of store B. The shipped one was placed four months ago."""
    mall.stock(mall.store_a, mall.sku_m, 10)
    mall.stock(mall.store_b, mall.sku_m, 10)
    with time_machine.travel("2025-11-15 10:00 +0800", tick=False):
        shipped = buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        unpaid = buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()
        paid = buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()
        cancelled = buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()
        other = buy(mall, mall.sku_m, pickup=mall.store_b).orders.get()
        for order in (paid, shipped):
            pay(order.checkout, paid_at=order.created_at, method="alipay")
        transition(shipped, to=S.SHIPPED, actor=mall.clerk_a)
        cancellation_request(buyer=mall.buyer, number=paid.number, reason="买错了")
        order_cancel(buyer=mall.buyer, number=cancelled.number)
    return {"unpaid": unpaid, "paid": paid, "shipped": shipped, "cancelled": cancelled, "b": other}


def _numbers(queryset) -> list[str]:
    return [order.number for order in queryset]


def test_the_buyer_sees_each_tab(mall, orders):
    o = orders
    assert _numbers(buyer_orders(buyer=mall.buyer)) == [
        o["b"].number,
        o["cancelled"].number,
        o["paid"].number,
        o["unpaid"].number,
        o["shipped"].number,
    ]
    expected = {
        "awaiting_payment": [o["b"].number, o["unpaid"].number],
        "awaiting_shipment": [o["paid"].number],
        "shipped": [o["shipped"].number],
        "awaiting_review": [],
        "refunding": [o["paid"].number],
        "closed": [o["cancelled"].number],
    }
    for tab, numbers in expected.items():
        assert _numbers(buyer_orders(buyer=mall.buyer, tab=tab)) == numbers, tab
    with pytest.raises(OrderNotFound):
        buyer_orders(buyer=mall.buyer, tab="bogus")


def test_the_buyer_reads_an_order_with_its_timeline_and_no_one_else_does(mall, orders, member):
    detail = buyer_order_detail(buyer=mall.buyer, number=orders["shipped"].number)
    assert [(e.from_status, e.to_status) for e in detail.events.all()] == [
        ("", S.AWAITING_PAYMENT),
        (S.AWAITING_PAYMENT, S.PAID),
        (S.PAID, S.SHIPPED),
    ]
    with pytest.raises(OrderNotFound):
        buyer_order_detail(buyer=member, number=orders["shipped"].number)


@time_machine.travel("2026-03-02 09:00 +0800", tick=False)
def test_a_store_sees_its_own_orders_by_state_and_period(mall, orders):
    o = orders

    def state(name: str) -> list[str]:
        return _numbers(store_orders(actor=mall.clerk_a, store_id=mall.store_a.id, state=name))

    assert state("recent") == [o["cancelled"].number, o["paid"].number, o["unpaid"].number]
    assert state("older") == [o["shipped"].number]
    assert state("awaiting_payment") == [o["unpaid"].number]
    assert state("awaiting_shipment") == [o["paid"].number]
    assert state("shipped") == [o["shipped"].number]
    assert state("refunding") == [o["paid"].number]
    assert state("awaiting_review") == []
    assert state("successful") == []
    assert state("closed") == [o["cancelled"].number]
    b = store_orders(actor=mall.clerk_b, store_id=mall.store_b.id, state="recent")
    assert _numbers(b) == [o["b"].number]


def test_a_clerk_of_store_a_is_refused_on_store_b(mall, orders):
    with pytest.raises(StoreAccessDenied):
        store_orders(actor=mall.clerk_a, store_id=mall.store_b.id)
    with pytest.raises(StoreAccessDenied):
        store_order_detail(actor=mall.clerk_a, store_id=mall.store_b.id, number=orders["b"].number)
    # Through their own store, store B's order does not exist.
    with pytest.raises(OrderNotFound):
        store_order_detail(actor=mall.clerk_a, store_id=mall.store_a.id, number=orders["b"].number)
    detail = store_order_detail(
        actor=mall.clerk_a, store_id=mall.store_a.id, number=orders["paid"].number
    )
    assert detail.refunding is True


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (datetime.date(2026, 5, 31), "2026-02-28T00:00:00+08:00"),
        (datetime.date(2026, 3, 2), "2025-12-02T00:00:00+08:00"),
        (datetime.date(2024, 5, 30), "2024-02-29T00:00:00+08:00"),
    ],
)
def test_three_months_back_starts_at_shanghai_midnight(today, start):
    assert three_months_ago(today).isoformat() == start
