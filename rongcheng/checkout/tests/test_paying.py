"""Paying a checkout end to end through the sandbox Alipay: the "checkout" purpose, the refund
of an accepted cancellation and the late-payment rule."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine

from rongcheng.checkout.errors import CheckoutNotPayable
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import checkout_pay, order_refund
from rongcheng.checkout.tests.buying import Mall, buy
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.models import Stock
from rongcheng.ledger.models import Journal
from rongcheng.notifications.models import Notice
from rongcheng.orders.errors import TransitionNotAllowed
from rongcheng.orders.models import Order
from rongcheng.orders.refunds import RefundDue
from rongcheng.orders.services import cancellation_accept, cancellation_request, orders_close_unpaid
from rongcheng.payments.models import (
    Channel,
    EventType,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    SandboxAlipayRefund,
)
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_notification_handle
from rongcheng.payments.state import transition

pytestmark = pytest.mark.django_db

S = Order.Status
PLACED = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def clock():
    with time_machine.travel(PLACED, tick=False) as traveller:
        yield traveller


def start(mall: Mall, checkout: Checkout, channel: str = Channel.ALIPAY_PAGE) -> Payment:
    """The buyer chooses Alipay and reaches the sandbox cashier."""
    payment, started = checkout_pay(
        buyer=checkout.buyer,
        checkout_number=checkout.number,
        channel=channel,
        base_url="http://testserver",
        return_url="/member/orders/",
    )
    sandbox_alipay.open_cashier(urlsplit(started.redirect_url).query)
    return payment


def notify(body: str) -> str:
    return payment_notification_handle(provider="alipay", body=body.encode(), headers={}).body


def reserved(mall: Mall) -> int:
    return Stock.objects.get(store=mall.store_a, sku=mall.sku_m).reserved


@pytest.fixture
def placed(mall, clock) -> Checkout:
    mall.stock(mall.store_a, mall.sku_m, 2)
    return buy(mall, mall.sku_m, 2, pickup=mall.store_a)


def test_placing_and_paying_through_alipay_pays_the_orders_and_tells_the_store(
    mall, placed, committed
):
    payment = start(mall, placed)
    assert (payment.purpose, payment.reference, payment.amount) == (
        "checkout",
        placed.number,
        Decimal("2560.00"),
    )
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)

    with committed():
        assert notify(body) == "success"

    order = placed.orders.get()
    assert (order.status, order.paid_at, order.payment_method) == (S.PAID, PLACED, "alipay")
    placed.refresh_from_db()
    assert (placed.payment_number, placed.amount_paid, placed.refund_due) == (
        payment.out_trade_no,
        Decimal("2560.00"),
        Decimal("0.00"),
    )
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind, notice.reference) == (
        mall.clerk_a,
        "new_order",
        order.number,
    )
    assert reserved(mall) == 2
    assert not Refund.objects.exists()
    journal = Journal.objects.get()
    assert (journal.kind, journal.reference) == (
        "checkout_payment",
        f"payment:{payment.out_trade_no}",
    )
    assert sorted(
        (entry.account.kind, entry.account.code, entry.account.store_id, entry.amount)
        for entry in journal.entries.select_related("account")
    ) == [
        ("gateway_clearing", "alipay", None, Decimal("-2560.00")),
        ("store_receivable", "", mall.store_a.id, Decimal("2560.00")),
    ]
    # The provider sends the same notification again: nothing changes.
    assert notify(body) == "success"
    assert Notice.objects.count() == 1
    assert order.events.filter(to_status=S.PAID).count() == 1
    assert Journal.objects.count() == 1


def test_paying_again_after_a_failure_opens_a_new_payment_and_a_paid_checkout_is_done(mall, placed):
    first = start(mall, placed)
    sandbox_alipay.trade_fail(first.out_trade_no)
    again = start(mall, placed)
    assert again.pk != first.pk
    _trade, body = sandbox_alipay.trade_pay(again.out_trade_no)
    assert notify(body) == "success"
    assert placed.orders.get().status == S.PAID

    with pytest.raises(CheckoutNotPayable):
        start(mall, placed)
    with pytest.raises(CheckoutNotPayable):
        checkout_pay(
            buyer=UserFactory(),
            checkout_number=placed.number,
            channel=Channel.ALIPAY_PAGE,
            base_url="http://testserver",
            return_url="/",
        )
    assert Payment.objects.count() == 2


def test_a_second_payment_of_a_paid_checkout_goes_back_whole(mall, placed, committed):
    page = start(mall, placed)
    wap = start(mall, placed, Channel.ALIPAY_WAP)
    _trade, page_body = sandbox_alipay.trade_pay(page.out_trade_no)
    _trade, wap_body = sandbox_alipay.trade_pay(wap.out_trade_no)
    assert notify(page_body) == "success"

    with committed():
        assert notify(wap_body) == "success"

    wap.refresh_from_db()
    assert (wap.status, wap.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("2560.00"))
    page.refresh_from_db()
    assert page.status == PaymentStatus.PAID
    placed.refresh_from_db()
    assert placed.payment_number == page.out_trade_no
    refund = Refund.objects.get()
    assert (refund.request_id, refund.status) == (
        f"surplus-{wap.out_trade_no}",
        RefundStatus.SUCCEEDED,
    )
    notice = Notice.objects.get(kind="payment_refund")
    assert (notice.recipient, notice.reference) == (mall.buyer, placed.number)


def test_an_accepted_cancellation_is_refunded_once_however_often_it_is_asked(
    mall, placed, committed
):
    payment = start(mall, placed)
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
    notify(body)
    order = placed.orders.get()
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")

    with committed():
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.pk)

    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (
        PaymentStatus.REFUNDED,
        Decimal("2560.00"),
    )
    refund = Refund.objects.get()
    assert (refund.request_id, refund.amount, refund.status) == (
        f"cancel-{request.pk}",
        Decimal("2560.00"),
        RefundStatus.SUCCEEDED,
    )
    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    assert reserved(mall) == 0
    # Asked again (a retry of the hook, a second click): still one refund at the provider.
    order_refund(
        RefundDue(
            key=f"cancel-{request.pk}",
            checkout_number=placed.number,
            order_number=order.number,
            amount=Decimal("2560.00"),
            reason="买错尺码",
        )
    )
    with pytest.raises(TransitionNotAllowed):
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.pk)
    assert Refund.objects.count() == 1
    assert SandboxAlipayRefund.objects.count() == 1
    assert payment.events.filter(event_type=EventType.REFUNDED).count() == 1


def _paid_late(mall: Mall, checkout: Checkout, clock) -> tuple[Payment, str]:
    """The buyer pays at the cashier, but the orders close and the payment is closed before
    the notification arrives."""
    payment = start(mall, checkout)
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
    clock.shift(datetime.timedelta(minutes=31))
    assert orders_close_unpaid() == 1
    transition(payment, to=PaymentStatus.CLOSED, event_type=EventType.CLOSED, source="query")
    assert reserved(mall) == 0
    return payment, body


def test_a_late_payment_holds_the_stock_again_when_it_is_still_there(
    mall, placed, clock, committed
):
    payment, body = _paid_late(mall, placed, clock)

    with committed():
        assert notify(body) == "success"

    assert placed.orders.get().status == S.PAID
    assert reserved(mall) == 2
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert not Refund.objects.exists()
    assert not Notice.objects.filter(kind="payment_refund").exists()


def test_a_late_payment_is_refunded_and_the_buyer_told_when_the_stock_is_gone(
    mall, placed, clock, committed
):
    payment, body = _paid_late(mall, placed, clock)
    mall.buyer = UserFactory(real_name="王五", mobile="13900000002")
    buy(mall, mall.sku_m, 2, pickup=mall.store_a)

    with committed():
        assert notify(body) == "success"

    assert placed.orders.get().status == S.CLOSED
    assert reserved(mall) == 2  # the other buyer's units, untouched
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (
        PaymentStatus.REFUNDED,
        Decimal("2560.00"),
    )
    refund = Refund.objects.get()
    assert (refund.request_id, refund.status) == (
        f"surplus-{payment.out_trade_no}",
        RefundStatus.SUCCEEDED,
    )
    notice = Notice.objects.get(kind="payment_refund")
    assert notice.recipient == placed.buyer
    assert notice.body == (
        f"结算单 {placed.number} 的付款中 ¥2560.00 未能用于订单（订单已取消、关闭或商品已售完），"
        "已原路退回。"
    )
