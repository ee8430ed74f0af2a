import threading
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

import pytest
from django.db import connection
from django.test import Client

from rongcheng.payments.gateways.alipay import AlipayConfig, AlipayGateway, alipay_config
from rongcheng.payments.models import (
    EventSource,
    EventType,
    GatewayNotification,
    PaymentEvent,
    PaymentStatus,
    SandboxAlipayTrade,
    Verdict,
)
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.sandbox.keys import _new_key_pair
from rongcheng.payments.services import payment_notification_handle
from rongcheng.payments.state import transition
from rongcheng.payments.tests.conftest import (
    assert_unchanged,
    notification_params,
    opened_payment,
    paid_notification,
)

pytestmark = pytest.mark.django_db
NOTIFY_URL = "/payments/notify/alipay/"


def handle(body: str) -> str:
    reply = payment_notification_handle(
        provider="alipay",
        body=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    return reply.body


def test_a_valid_notification_pays_once(member, handlers):
    payment = opened_payment(member)
    body = paid_notification(payment)
    trade = SandboxAlipayTrade.objects.get(out_trade_no=payment.out_trade_no)

    response = Client(enforce_csrf_checks=True).post(
        NOTIFY_URL, body, content_type="application/x-www-form-urlencoded; charset=utf-8"
    )

    assert (response.status_code, response.content) == (200, b"success")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.provider_trade_no == trade.trade_no
    assert payment.paid_at == trade.paid_at.replace(microsecond=0)
    event = PaymentEvent.objects.get()
    assert (event.event_type, event.from_status, event.to_status) == ("paid", "pending", "paid")
    assert (event.provider_txn_id, event.amount, event.source) == (
        trade.trade_no,
        Decimal("88.00"),
        EventSource.NOTIFICATION,
    )
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.error, notification.payment) == (
        Verdict.PROCESSED,
        "",
        payment,
    )
    assert notification.body == body
    assert notification.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert event.notification == notification
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]


def test_a_repeated_notification_changes_nothing_and_still_succeeds(member, handlers):
    payment = opened_payment(member)
    body = paid_notification(payment)
    assert handle(body) == "success"

    assert handle(body) == "success"

    assert PaymentEvent.objects.count() == 1
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    assert list(GatewayNotification.objects.order_by("pk").values_list("verdict", flat=True)) == [
        Verdict.PROCESSED,
        Verdict.DUPLICATE,
    ]


def resigned(body: str, **changes: str) -> str:
    """The notification with changed parameters, signed again with the sandbox Alipay key."""
    return sandbox_alipay.signed_form(notification_params(body) | changes)


def forged(body: str) -> str:
    """Signed with a key that is not Alipay's."""
    params = notification_params(body) | {"sign_type": "RSA2"}
    impostor = AlipayGateway(
        AlipayConfig(**(alipay_config().__dict__ | {"app_private_key": _new_key_pair()["private"]}))
    )
    content = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign_type")
    return urlencode(params | {"sign": impostor.client._sign(content)})


def tampered(body: str) -> str:
    """The genuine signature kept, the amount changed."""
    params = dict(parse_qsl(body))
    params["total_amount"] = "0.01"
    return urlencode(params)


@pytest.mark.parametrize(
    ("make_body", "reason"),
    [
        (forged, "bad_signature"),
        (tampered, "bad_signature"),
        (lambda body: urlencode([p for p in parse_qsl(body) if p[0] != "sign"]), "bad_signature"),
        (lambda body: resigned(body, app_id="2021000000009999"), "wrong_app_id"),
        (lambda body: resigned(body, seller_id="2088000000009999"), "wrong_seller_id"),
        (lambda body: resigned(body, total_amount="8.80"), "amount_mismatch"),
        (lambda body: resigned(body, out_trade_no="202612060000000000000001"), "unknown_trade"),
        (lambda body: body + "&total_amount=88.00", "malformed"),
    ],
    ids=[
        "forged",
        "tampered",
        "unsigned",
        "wrong-app",
        "wrong-seller",
        "wrong-amount",
        "unknown",
        "repeated-key",
    ],
)
def test_a_refused_notification_changes_nothing_and_fails(member, handlers, make_body, reason):
    payment = opened_payment(member)
    body = make_body(paid_notification(payment))

    assert handle(body) == "fail"

    assert_unchanged(payment, handlers)
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.error) == (Verdict.REFUSED, reason)


@pytest.mark.parametrize("status", ["WAIT_BUYER_PAY", "TRADE_CLOSED", "TRADE_PENDING"])
def test_a_genuine_notification_of_an_unpaid_trade_is_acknowledged_and_ignored(
    member, handlers, status
):
    payment = opened_payment(member)
    body = resigned(paid_notification(payment), trade_status=status)

    assert handle(body) == "success"

    assert_unchanged(payment, handlers)
    assert GatewayNotification.objects.get().verdict == Verdict.IGNORED


def test_a_provider_transaction_reported_for_another_payment_is_refused(member, handlers):
    first = opened_payment(member)
    first_body = paid_notification(first)
    assert handle(first_body) == "success"
    second = opened_payment(member)
    body = resigned(paid_notification(second), trade_no=notification_params(first_body)["trade_no"])

    assert handle(body) == "fail"

    second.refresh_from_db()
    assert (second.status, second.provider_trade_no) == (PaymentStatus.PENDING, "")
    assert PaymentEvent.objects.get().payment == first
    assert handlers.paid == [(first.out_trade_no, PaymentStatus.PAID)]
    assert GatewayNotification.objects.order_by("pk").last().error == "conflicting_event"


def test_payment_events_are_append_only(member, handlers):
    payment = opened_payment(member)
    handle(paid_notification(payment))
    event = PaymentEvent.objects.get()

    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert PaymentEvent.objects.get().to_status == PaymentStatus.PAID


def test_the_notification_view_refuses_a_get_and_unknown_providers(member):
    assert Client().get(NOTIFY_URL).status_code == 405
    assert (
        Client().post("/payments/notify/paypal/", "a=1", content_type="text/plain").status_code
        == 404
    )
    assert not GatewayNotification.objects.exists()


def test_a_payment_paid_after_it_was_closed_calls_the_late_handler(member, handlers):
    payment = opened_payment(member)
    body = paid_notification(payment)
    transition(payment, to=PaymentStatus.CLOSED, event_type=EventType.CLOSED, source="system")

    assert handle(body) == "success"

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert handlers.late == [payment.out_trade_no]
    assert handlers.paid == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_notifications_pay_once(member, handlers):
    payment = opened_payment(member)
    body = paid_notification(payment)
    barrier = threading.Barrier(8)
    replies = []

    def deliver():
        barrier.wait()
        try:
            replies.append(handle(body))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert replies == ["success"] * 8
    assert PaymentEvent.objects.filter(event_type=EventType.PAID).count() == 1
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    verdicts = sorted(GatewayNotification.objects.values_list("verdict", flat=True))
    assert verdicts == [Verdict.DUPLICATE] * 7 + [Verdict.PROCESSED]
