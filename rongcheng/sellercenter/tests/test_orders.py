"""订单管理 in the seller center: the store's own orders, the badge, cancellation answers."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from rongcheng.checkout.tests.buying import Mall, build_mall, buy, pay
from rongcheng.notifications.models import Notice
from rongcheng.orders.models import CancellationRequest, Order
from rongcheng.orders.services import cancellation_request

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
REFUNDS: list = []


def record_refund(due) -> None:
    REFUNDS.append(due)


@pytest.fixture
def mall(regions, settings) -> Mall:
    settings.RONGCHENG = settings.RONGCHENG | {
        "ORDER_REFUND_HANDLER": "rongcheng.sellercenter.tests.test_orders.record_refund"
    }
    REFUNDS.clear()
    with time_machine.travel(NOW, tick=False):
        yield build_mall(regions)


@pytest.fixture
def paid_order(mall) -> Order:
    mall.stock(mall.store_a, mall.sku_m, 2)
    checkout = buy(mall, mall.sku_m, 1, pickup=mall.store_a)
    pay(checkout, paid_at=NOW)
    return checkout.orders.get()


def test_the_store_sees_its_paid_order_with_the_badge_until_it_opens_it(client, mall, paid_order):
    client.force_login(mall.clerk_a)
    html = client.get(reverse("sellercenter:orders", args=[mall.store_a.id])).content.decode()
    assert f'<tr data-order="{paid_order.number}">' in html
    assert 'data-new-order-badge aria-label="新订单">1</span>' in html

    html = client.get(
        reverse("sellercenter:order", args=[mall.store_a.id, paid_order.number])
    ).content.decode()
    assert "支付成功（支付宝）" in html
    assert "data-new-order-badge hidden" in html
    assert Notice.objects.get(recipient=mall.clerk_a).read_at is not None

    html = client.get(
        reverse("sellercenter:orders", args=[mall.store_a.id]), {"state": "closed"}
    ).content.decode()
    assert paid_order.number not in html


def test_another_store_s_order_is_not_found_and_nothing_changes(client, mall, paid_order):
    request = cancellation_request(buyer=mall.buyer, number=paid_order.number, reason="买错了")
    client.force_login(mall.clerk_b)
    detail = reverse("sellercenter:order", args=[mall.store_b.id, paid_order.number])
    assert client.get(detail).status_code == 404
    answer = reverse("sellercenter:cancellation_answer", args=[mall.store_b.id, paid_order.number])
    assert client.post(answer, {"answer": "accept"}).status_code == 404
    foreign = reverse("sellercenter:orders", args=[mall.store_a.id])
    assert client.get(foreign).status_code == 404
    assert Order.objects.get(pk=paid_order.pk).status == Order.Status.PAID
    assert CancellationRequest.objects.get(pk=request.pk).status == "pending"
    assert Notice.objects.get(recipient=mall.clerk_a).read_at is None
    assert REFUNDS == []


def test_the_store_accepts_or_refuses_a_cancellation_request(
    client, mall, paid_order, django_capture_on_commit_callbacks
):
    cancellation_request(buyer=mall.buyer, number=paid_order.number, reason="买错了")
    client.force_login(mall.clerk_a)
    answer = reverse("sellercenter:cancellation_answer", args=[mall.store_a.id, paid_order.number])

    client.post(answer, {"answer": "refuse", "reason": ""})
    assert CancellationRequest.objects.get().status == "pending"  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer, {"answer": "accept"})
    assert Order.objects.get(pk=paid_order.pk).status == Order.Status.CANCELLED
    assert [(due.order_number, due.amount) for due in REFUNDS] == [
        (paid_order.number, paid_order.total)
    ]
