import threading
from decimal import Decimal
from urllib.error import URLError

import pytest
from django.db import connection

from rongcheng.payments.errors import (
    GatewayUnavailable,
    InvalidAmount,
    RefundExceedsPayment,
    RefundNotAllowed,
    RefundRequestConflict,
)
from rongcheng.payments.models import (
    EventType,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
    RefundStatus,
    SandboxAlipayRefund,
    SandboxAlipayTrade,
)
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_notification_handle, payment_refund
from rongcheng.payments.tests.conftest import opened_payment, paid_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(member, handlers) -> Payment:
    payment = opened_payment(member)
    reply = payment_notification_handle(
        provider="alipay", body=paid_notification(payment).encode(), headers={}
    )
    assert reply.body == "success"
    payment.refresh_from_db()
    return payment


def trade_of(payment: Payment) -> SandboxAlipayTrade:
    return SandboxAlipayTrade.objects.get(out_trade_no=payment.out_trade_no)


def test_a_full_refund_is_made_once_however_often_it_is_asked(paid, handlers):
    refund = payment_refund(payment=paid, amount=Decimal("88.00"), request_id="R-1", reason="取消")
    again = payment_refund(payment=paid, amount=Decimal("88.00"), request_id="R-1", reason="取消")

    assert again.pk == refund.pk
    trade = trade_of(paid)
    assert (refund.status, refund.provider_refund_id) == (
        RefundStatus.SUCCEEDED,
        f"{trade.trade_no}:R-1",
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("88.00"))
    assert (trade.refunded_amount, trade.trade_status) == (Decimal("88.00"), "TRADE_CLOSED")
    assert SandboxAlipayRefund.objects.count() == 1
    event = PaymentEvent.objects.get(event_type=EventType.REFUNDED)
    assert (event.from_status, event.to_status, event.amount) == (
        "paid",
        "refunded",
        Decimal("88.00"),
    )
    assert handlers.refunded == [(paid.out_trade_no, "R-1", Decimal("88.00"))]


def test_partial_refunds_add_up_to_at_most_the_payment(paid, handlers):
    payment_refund(payment=paid, amount=Decimal("30.00"), request_id="R-1", reason="")
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("30.00"),
    )

    with pytest.raises(RefundExceedsPayment):
        payment_refund(payment=paid, amount=Decimal("58.01"), request_id="R-2", reason="")
    assert Refund.objects.count() == 1

    payment_refund(payment=paid, amount=Decimal("58.00"), request_id="R-3", reason="")
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("88.00"))
    assert [r[1:] for r in handlers.refunded] == [
        ("R-1", Decimal("30.00")),
        ("R-3", Decimal("58.00")),
    ]
    assert trade_of(paid).refunded_amount == Decimal("88.00")


def test_a_request_id_cannot_be_reused_for_another_amount(paid, handlers):
    payment_refund(payment=paid, amount=Decimal("10.00"), request_id="R-1", reason="")

    with pytest.raises(RefundRequestConflict):
        payment_refund(payment=paid, amount=Decimal("20.00"), request_id="R-1", reason="")

    paid.refresh_from_db()
    assert paid.refunded_amount == Decimal("10.00")
    assert Refund.objects.count() == 1
    assert len(handlers.refunded) == 1


@pytest.mark.parametrize("amount", ["0", "-1.00", "0.001", "NaN", "abc"])
def test_an_invalid_amount_is_refused(paid, amount):
    with pytest.raises(InvalidAmount):
        payment_refund(payment=paid, amount=amount, request_id="R-1", reason="")
    assert not Refund.objects.exists()


def test_an_unpaid_payment_cannot_be_refunded(member, handlers):
    payment = opened_payment(member)

    with pytest.raises(RefundNotAllowed):
        payment_refund(payment=payment, amount=Decimal("1.00"), request_id="R-1", reason="")

    assert not Refund.objects.exists()
    assert not SandboxAlipayRefund.objects.exists()


def test_an_unreachable_provider_leaves_the_refund_pending_until_asked_again(
    paid, handlers, monkeypatch
):
    def unreachable(url, timeout):
        raise URLError("connection refused")

    monkeypatch.setattr(sandbox_alipay, "answer_api", unreachable)
    with pytest.raises(GatewayUnavailable):
        payment_refund(payment=paid, amount=Decimal("88.00"), request_id="R-1", reason="")

    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PENDING
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.PAID, Decimal("0.00"))
    assert handlers.refunded == []

    monkeypatch.undo()
    again = payment_refund(payment=paid, amount=Decimal("88.00"), request_id="R-1", reason="")

    assert (again.pk, again.status) == (refund.pk, RefundStatus.SUCCEEDED)
    assert handlers.refunded == [(paid.out_trade_no, "R-1", Decimal("88.00"))]


def test_a_refund_the_provider_refuses_is_recorded_as_failed(paid, handlers):
    # Alipay no longer holds the money: refunded outside the platform.
    SandboxAlipayTrade.objects.filter(pk=trade_of(paid).pk).update(refunded_amount=Decimal("88.00"))

    refund = payment_refund(payment=paid, amount=Decimal("88.00"), request_id="R-1", reason="")

    assert (refund.status, refund.error) == (
        RefundStatus.FAILED,
        "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL 退款金额超限",
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.PAID, Decimal("0.00"))
    assert handlers.refunded == []
    assert not PaymentEvent.objects.filter(event_type=EventType.REFUNDED).exists()


def race(count, work):
    """Run `work(i)` in `count` threads at once, each on its own connection; their outcomes."""
    barrier = threading.Barrier(count)
    outcomes = []

    def run(index):
        barrier.wait()
        try:
            outcomes.append(work(index))
        except RefundExceedsPayment:
            outcomes.append("exceeds")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_id_refund_once(paid, handlers):
    outcomes = race(
        6,
        lambda i: (
            payment_refund(
                payment=paid, amount=Decimal("88.00"), request_id="R-1", reason=""
            ).status
        ),
    )

    assert outcomes == [RefundStatus.SUCCEEDED] * 6
    assert Refund.objects.count() == 1
    assert SandboxAlipayRefund.objects.count() == 1
    assert PaymentEvent.objects.filter(event_type=EventType.REFUNDED).count() == 1
    assert handlers.refunded == [(paid.out_trade_no, "R-1", Decimal("88.00"))]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_exceed_the_payment(paid, handlers):
    outcomes = race(
        4,
        lambda i: (
            payment_refund(
                payment=paid, amount=Decimal("30.00"), request_id=f"R-{i}", reason=""
            ).status
        ),
    )

    assert sorted(outcomes) == [
        "exceeds",
        "exceeds",
        RefundStatus.SUCCEEDED,
        RefundStatus.SUCCEEDED,
    ]
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("60.00"),
    )
    assert trade_of(paid).refunded_amount == Decimal("60.00")
    assert len(handlers.refunded) == 2
