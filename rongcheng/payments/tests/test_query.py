from datetime import timedelta

import pytest
from django.utils import timezone

from rongcheng.core.scheduler import EmbeddedScheduler
from rongcheng.payments.models import EventSource, Payment, PaymentEvent, PaymentStatus
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_query_pending
from rongcheng.payments.tests.conftest import (
    new_payment,
    opened_payment,
    paid_notification,
)

pytestmark = pytest.mark.django_db


def test_a_payment_whose_notification_was_lost_is_settled_by_the_query(member, handlers, clock):
    payment = opened_payment(member)
    paid_notification(payment)  # paid at Alipay; the notification never arrives

    clock.shift(timedelta(minutes=4, seconds=59))
    assert payment_query_pending() == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

    clock.shift(timedelta(seconds=1))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    trade = sandbox_alipay.SandboxAlipayTrade.objects.get(out_trade_no=payment.out_trade_no)
    assert (payment.status, payment.provider_trade_no) == (PaymentStatus.PAID, trade.trade_no)
    event = PaymentEvent.objects.get()
    assert (event.event_type, event.source, event.provider_txn_id) == (
        "paid",
        EventSource.QUERY,
        trade.trade_no,
    )
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    # The job can run any number of times; the late notification is then a duplicate.
    assert payment_query_pending() == 0
    assert PaymentEvent.objects.count() == 1


def test_a_trade_that_failed_at_the_provider_closes_the_payment(member, handlers, clock):
    payment = opened_payment(member)
    sandbox_alipay.trade_fail(payment.out_trade_no)
    clock.shift(timedelta(minutes=5))

    assert payment_query_pending() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CLOSED
    assert PaymentEvent.objects.get().event_type == "closed"
    assert handlers.paid == []


def test_a_payment_never_started_at_the_provider_closes_only_after_it_expires(
    member, handlers, clock
):
    payment = new_payment(member)
    clock.shift(timedelta(minutes=29))
    assert payment_query_pending() == 0
    assert Payment.objects.get().status == PaymentStatus.PENDING

    clock.shift(timedelta(minutes=1))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CLOSED


def test_an_unpaid_trade_stays_pending_until_the_provider_closes_it(member, handlers, clock):
    payment = opened_payment(member)
    clock.shift(timedelta(minutes=10))
    assert payment_query_pending() == 0
    assert Payment.objects.get().status == PaymentStatus.PENDING

    # The sandbox Alipay, like Alipay, closes the trade at the time_expire it was given.
    clock.shift(timedelta(minutes=20))
    assert payment_query_pending() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CLOSED


def test_the_query_job_runs_every_minute_from_the_periodic_schedule(
    member, handlers, clock, settings
):
    entry = settings.CELERY_BEAT_SCHEDULE["query-pending-payments"]
    assert entry["schedule"] == timedelta(minutes=1)
    payment = opened_payment(member)
    paid_notification(payment)
    clock.shift(timedelta(minutes=5))

    scheduler = EmbeddedScheduler(
        beat_schedule={"query-pending-payments": entry}, now=lambda: timezone.now()
    )
    clock.shift(timedelta(minutes=1))
    scheduler.tick()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
