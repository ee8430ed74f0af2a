"""The refund retry job: refunds left pending are carried on, refunds refused for a passing
reason are asked again under a new request id, both only after REFUND_RETRY_AFTER."""

from datetime import timedelta
from decimal import Decimal
from urllib.error import URLError

import pytest
from django.utils import timezone

from rongcheng.core.scheduler import EmbeddedScheduler
from rongcheng.payments.errors import GatewayUnavailable
from rongcheng.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import (
    payment_notification_handle,
    payment_refund,
    payment_refunds_retry,
)
from rongcheng.payments.tests.conftest import opened_payment, paid_notification

pytestmark = pytest.mark.django_db

REFUND = "alipay.trade.refund"


@pytest.fixture
def paid(member, handlers, clock) -> Payment:
    payment = opened_payment(member)
    reply = payment_notification_handle(
        provider="alipay", body=paid_notification(payment).encode(), headers={}
    )
    assert reply.body == "success"
    payment.refresh_from_db()
    return payment


def unreachable(url, timeout):
    raise URLError("connection refused")


def busy(params, biz):
    return sandbox_alipay._failed("ACQ.SYSTEM_ERROR", "系统繁忙")


def refund_all(payment: Payment) -> Refund:
    return payment_refund(payment=payment, amount=Decimal("88.00"), request_id="R-1", reason="")


def test_a_refund_left_pending_is_carried_on_after_the_delay_once(
    paid, handlers, clock, monkeypatch
):
    monkeypatch.setattr(sandbox_alipay, "answer_api", unreachable)
    with pytest.raises(GatewayUnavailable):
        refund_all(paid)
    monkeypatch.undo()

    clock.shift(timedelta(minutes=9, seconds=59))
    assert payment_refunds_retry() == 0
    assert Refund.objects.get().status == RefundStatus.PENDING

    clock.shift(timedelta(seconds=1))
    assert payment_refunds_retry() == 1

    refund = Refund.objects.get()
    assert (refund.request_id, refund.status) == ("R-1", RefundStatus.SUCCEEDED)
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("88.00"))
    assert handlers.refunded == [(paid.out_trade_no, "R-1", Decimal("88.00"))]
    clock.shift(timedelta(hours=1))
    assert payment_refunds_retry() == 0
    assert sandbox_alipay.SandboxAlipayRefund.objects.count() == 1


def test_a_refund_still_unanswered_waits_another_period(paid, handlers, clock, monkeypatch):
    monkeypatch.setattr(sandbox_alipay, "answer_api", unreachable)
    with pytest.raises(GatewayUnavailable):
        refund_all(paid)
    clock.shift(timedelta(minutes=10))
    assert payment_refunds_retry() == 1  # Alipay still unreachable

    clock.shift(timedelta(minutes=9))
    assert payment_refunds_retry() == 0
    clock.shift(timedelta(minutes=1))
    assert payment_refunds_retry() == 1
    assert Refund.objects.get().status == RefundStatus.PENDING


def test_a_refund_refused_for_a_passing_reason_is_asked_again_under_a_new_id(
    paid, handlers, clock, monkeypatch
):
    monkeypatch.setitem(sandbox_alipay.API, REFUND, busy)
    failed = refund_all(paid)
    assert (failed.status, failed.retryable, failed.error) == (
        RefundStatus.FAILED,
        True,
        "ACQ.SYSTEM_ERROR 系统繁忙",
    )
    monkeypatch.undo()

    clock.shift(timedelta(minutes=10))
    assert payment_refunds_retry() == 1

    retry = Refund.objects.get(retry_of=failed)
    assert (retry.request_id, retry.attempt, retry.amount, retry.status) == (
        "R-1-r2",
        2,
        Decimal("88.00"),
        RefundStatus.SUCCEEDED,
    )
    assert handlers.refunded == [(paid.out_trade_no, "R-1-r2", Decimal("88.00"))]
    assert payment_refunds_retry() == 0
    assert Refund.objects.count() == 2


def test_a_provider_that_stays_busy_is_asked_at_most_the_allowed_attempts(
    paid, handlers, clock, monkeypatch, settings
):
    settings.RONGCHENG = settings.RONGCHENG | {"REFUND_RETRY_ATTEMPTS": 3}
    monkeypatch.setitem(sandbox_alipay.API, REFUND, busy)
    refund_all(paid)

    for _run in range(5):
        clock.shift(timedelta(minutes=10))
        payment_refunds_retry()

    assert list(Refund.objects.order_by("pk").values_list("request_id", "attempt", "status")) == [
        ("R-1", 1, RefundStatus.FAILED),
        ("R-1-r2", 2, RefundStatus.FAILED),
        ("R-1-r3", 3, RefundStatus.FAILED),
    ]
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.PAID, Decimal("0.00"))


def test_a_refund_refused_for_good_is_not_asked_again(paid, handlers, clock):
    # Alipay no longer holds the money: refunded outside the platform.
    sandbox_alipay.SandboxAlipayTrade.objects.filter(out_trade_no=paid.out_trade_no).update(
        refunded_amount=Decimal("88.00")
    )
    failed = refund_all(paid)
    assert (failed.status, failed.retryable) == (RefundStatus.FAILED, False)

    clock.shift(timedelta(hours=1))
    assert payment_refunds_retry() == 0
    assert Refund.objects.count() == 1


def test_the_retry_job_runs_from_the_periodic_schedule(
    paid, handlers, clock, monkeypatch, settings
):
    entry = settings.CELERY_BEAT_SCHEDULE["retry-refunds"]
    assert entry["schedule"] == timedelta(minutes=5)
    monkeypatch.setattr(sandbox_alipay, "answer_api", unreachable)
    with pytest.raises(GatewayUnavailable):
        refund_all(paid)
    monkeypatch.undo()
    clock.shift(timedelta(minutes=5))

    scheduler = EmbeddedScheduler(
        beat_schedule={"retry-refunds": entry}, now=lambda: timezone.now()
    )
    clock.shift(timedelta(minutes=5))
    scheduler.tick()

    assert Refund.objects.get().status == RefundStatus.SUCCEEDED
