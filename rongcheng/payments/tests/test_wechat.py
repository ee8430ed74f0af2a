"""WeChat Pay API v3 through the sandbox: starting each channel, notifications (signature,
freshness, nonce, encryption, merchant, amount), query and refunds with their notifications."""

import base64
import json
import threading
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from rongcheng.payments.errors import ChannelUnavailable
from rongcheng.payments.gateways.common import public_key_of, rsa_sha256_sign, rsa_sha256_verify
from rongcheng.payments.models import (
    Channel,
    EventSource,
    EventType,
    GatewayNotification,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
    RefundStatus,
    SandboxRefund,
    SandboxTrade,
    Verdict,
)
from rongcheng.payments.sandbox import wechat as sandbox_wechat
from rongcheng.payments.sandbox.keys import _new_key_pair
from rongcheng.payments.services import (
    payment_notification_handle,
    payment_query_pending,
    payment_refund,
    payment_start,
)
from rongcheng.payments.tests.conftest import BASE_URL, START, assert_unchanged, new_payment

pytestmark = pytest.mark.django_db
NOTIFY_URL = "/payments/notify/wechat/"
SUCCESS = (200, {"code": "SUCCESS"})


def started(buyer, channel=Channel.WECHAT_NATIVE, **kwargs) -> Payment:
    payment = new_payment(buyer, channel=channel)
    payment_start(payment=payment, base_url=BASE_URL, return_url="/member/orders/", **kwargs)
    return payment


def handle(body: str, headers: dict[str, str]) -> tuple[int, dict]:
    reply = payment_notification_handle(provider="wechat", body=body.encode(), headers=headers)
    assert reply.content_type == "application/json"
    return reply.status, json.loads(reply.body)


def paid(payment: Payment) -> tuple[str, dict[str, str]]:
    """The buyer pays at the sandbox cashier: WeChat Pay's signed, encrypted notification."""
    _trade, body, headers = sandbox_wechat.paid_notification(payment.out_trade_no)
    return body, headers


def resource_of(payment: Payment) -> dict:
    trade = SandboxTrade.objects.get(out_trade_no=payment.out_trade_no)
    return sandbox_wechat.transaction_resource(trade)


def test_native_gives_a_qr_code_of_the_cashier(member, handlers):
    payment = new_payment(member, amount="1280.50", channel=Channel.WECHAT_NATIVE)

    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/")

    assert start.qr_code == f"http://testserver/payments/sandbox/wechat/{payment.out_trade_no}/"
    trade = SandboxTrade.objects.get()
    assert (trade.provider, trade.amount_fen, trade.channel, trade.notify_url) == (
        "wechat",
        128050,
        "native",
        "http://testserver/payments/notify/wechat/",
    )
    assert trade.expires_at == payment.expires_at.replace(microsecond=0)


def test_h5_sends_the_buyer_to_wechat_pay_and_back(member, handlers):
    payment = new_payment(member, channel=Channel.WECHAT_H5)

    start = payment_start(
        payment=payment, base_url=BASE_URL, return_url="/member/orders/", client_ip="10.0.0.8"
    )

    url = urlsplit(start.redirect_url)
    assert url.path == f"/payments/sandbox/wechat/{payment.out_trade_no}/"
    params = dict(parse_qsl(url.query))
    assert params["redirect_url"] == "http://testserver/member/orders/"
    assert params["prepay_id"].startswith("wx")


def test_jsapi_gives_the_signed_pay_package(member, handlers):
    payment = new_payment(member, channel=Channel.WECHAT_JSAPI)

    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/", openid="o-buyer")

    params = dict(start.jsapi)
    trade = SandboxTrade.objects.get()
    assert (params["appId"], params["package"], params["signType"]) == (
        sandbox_wechat.APPID,
        f"prepay_id=wx{trade.trade_no}",
        "RSA",
    )
    message = (
        f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    )
    merchant = public_key_of(sandbox_wechat._material()["merchant"]["public"])
    assert rsa_sha256_verify(merchant, message, params["paySign"])
    assert not rsa_sha256_verify(merchant, message.replace("prepay", "prepaid"), params["paySign"])


@pytest.mark.parametrize(
    ("kind", "missing"), [("jsapi", "payer_openid"), ("h5", "payer_client_ip")]
)
def test_the_sandbox_refuses_an_order_without_its_payer_as_wechat_pay_does(kind, missing):
    order = {
        "mchid": sandbox_wechat.MCHID,
        "appid": sandbox_wechat.APPID,
        "out_trade_no": "20260301000000000001",
        "description": "绒城购订单",
        "amount": {"total": 100, "currency": "CNY"},
        "notify_url": "http://testserver/payments/notify/wechat/",
        "time_expire": "2026-03-01T10:30:00+08:00",
    }
    status, _headers, body = sandbox_wechat._order(kind, order)
    assert (status, json.loads(body)) == (
        400,
        {"code": "PARAM_ERROR", "message": f"缺少参数 {missing}"},
    )
    assert not SandboxTrade.objects.exists()


@pytest.mark.parametrize("channel", [Channel.WECHAT_JSAPI, Channel.WECHAT_H5])
def test_jsapi_needs_the_buyers_openid_and_h5_the_buyers_address(member, handlers, channel):
    payment = new_payment(member, channel=channel)
    with pytest.raises(ChannelUnavailable):
        payment_start(payment=payment, base_url=BASE_URL, return_url="/")
    assert not SandboxTrade.objects.exists()


def test_a_valid_notification_pays_once(member, handlers):
    payment = started(member)
    body, headers = paid(payment)
    trade = SandboxTrade.objects.get()

    response = Client(enforce_csrf_checks=True).post(
        NOTIFY_URL,
        body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )

    assert (response.status_code, response.json()) == SUCCESS
    payment.refresh_from_db()
    assert (payment.status, payment.provider_trade_no) == (PaymentStatus.PAID, trade.trade_no)
    assert payment.paid_at == trade.paid_at.replace(microsecond=0)
    event = PaymentEvent.objects.get()
    assert (event.event_type, event.provider_txn_id, event.amount, event.source) == (
        EventType.PAID,
        trade.trade_no,
        Decimal("88.00"),
        EventSource.NOTIFICATION,
    )
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.payment, notification.body) == (
        Verdict.PROCESSED,
        payment,
        body,
    )
    assert notification.headers["Wechatpay-Nonce"] == headers["Wechatpay-Nonce"]
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]


def test_a_notification_sent_again_is_a_duplicate(member, handlers):
    payment = started(member)
    assert handle(*paid(payment)) == SUCCESS

    assert handle(*paid(payment)) == SUCCESS  # WeChat Pay re-sends: new nonce and signature

    assert PaymentEvent.objects.count() == 1
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    assert list(GatewayNotification.objects.order_by("pk").values_list("verdict", flat=True)) == [
        Verdict.PROCESSED,
        Verdict.DUPLICATE,
    ]


def test_a_replayed_request_is_refused_and_changes_nothing(member, handlers):
    payment = started(member)
    body, headers = paid(payment)
    assert handle(body, headers) == SUCCESS

    status, answer = handle(body, headers)  # the very same signed request again

    assert (status, answer["code"]) == (400, "FAIL")
    assert PaymentEvent.objects.count() == 1
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    last = GatewayNotification.objects.order_by("pk").last()
    assert (last.verdict, last.error, last.payment) == (Verdict.REFUSED, "replayed_nonce", None)


def resigned(payment: Payment, **changes) -> tuple[str, dict[str, str]]:
    """A notification of the paid trade with changed fields, encrypted and signed by the
    sandbox WeChat Pay as a genuine one."""
    paid(payment)
    return sandbox_wechat.notification("TRANSACTION.SUCCESS", resource_of(payment) | changes)


def forged(payment: Payment) -> tuple[str, dict[str, str]]:
    body, headers = paid(payment)
    message = f"{headers['Wechatpay-Timestamp']}\n{headers['Wechatpay-Nonce']}\n{body}\n"
    return body, headers | {
        "Wechatpay-Signature": rsa_sha256_sign(_new_key_pair()["private"], message)
    }


def tampered(payment: Payment) -> tuple[str, dict[str, str]]:
    body, headers = paid(payment)
    envelope = json.loads(body)
    envelope["event_type"] = "TRANSACTION.SUCCES"
    return json.dumps(envelope, ensure_ascii=False), headers


def stale(payment: Payment) -> tuple[str, dict[str, str]]:
    body, _headers = paid(payment)
    signed_at = int(timezone.now().timestamp()) - 301
    return body, sandbox_wechat.signed_headers(body, timestamp=signed_at)


def early(payment: Payment) -> tuple[str, dict[str, str]]:
    body, _headers = paid(payment)
    return body, sandbox_wechat.signed_headers(
        body, timestamp=int(timezone.now().timestamp()) + 301
    )


def other_serial(payment: Payment) -> tuple[str, dict[str, str]]:
    body, headers = paid(payment)
    return body, headers | {"Wechatpay-Serial": "PUB_KEY_ID_0119000000092026120600000000000002"}


def unsigned(payment: Payment) -> tuple[str, dict[str, str]]:
    body, headers = paid(payment)
    return body, {k: v for k, v in headers.items() if k != "Wechatpay-Signature"}


def not_decryptable(payment: Payment) -> tuple[str, dict[str, str]]:
    """Signed, but the ciphertext was not sealed with our APIv3 key (its tag fails)."""
    body, _headers = paid(payment)
    envelope = json.loads(body)
    sealed = bytearray(base64.b64decode(envelope["resource"]["ciphertext"]))
    sealed[0] ^= 1
    envelope["resource"]["ciphertext"] = base64.b64encode(sealed).decode()
    text = json.dumps(envelope, ensure_ascii=False)
    return text, sandbox_wechat.signed_headers(text)


@time_machine.travel(START, tick=False)
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (forged, "bad_signature"),
        (tampered, "bad_signature"),
        (unsigned, "bad_signature"),
        (other_serial, "bad_signature"),
        (stale, "stale_timestamp"),
        (early, "stale_timestamp"),
        (not_decryptable, "bad_resource"),
        (lambda p: resigned(p, mchid="1900000999"), "wrong_merchant_id"),
        (lambda p: resigned(p, appid="wx9999999999999999"), "wrong_app_id"),
        (lambda p: resigned(p, amount={"total": 8800 - 1, "currency": "CNY"}), "amount_mismatch"),
        (lambda p: resigned(p, out_trade_no="202612060000000000000001"), "unknown_trade"),
        (lambda p: resigned(p, amount={"total": "8800"}), "malformed_amount"),
    ],
    ids=[
        "forged",
        "tampered",
        "unsigned",
        "unknown-serial",
        "stale",
        "from-the-future",
        "not-decryptable",
        "wrong-merchant",
        "wrong-app",
        "wrong-amount",
        "unknown-trade",
        "amount-as-text",
    ],
)
def test_a_refused_notification_changes_nothing_and_fails(member, handlers, make, reason):
    payment = started(member)
    body, headers = make(payment)

    status, answer = handle(body, headers)

    assert (status, answer["code"]) == (400, "FAIL")
    assert_unchanged(payment, handlers)
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.error) == (Verdict.REFUSED, reason)


@pytest.mark.parametrize("state", ["NOTPAY", "CLOSED", "USERPAYING"])
def test_a_genuine_notification_of_an_unpaid_order_is_acknowledged_and_ignored(
    member, handlers, state
):
    payment = started(member)

    assert handle(*resigned(payment, trade_state=state)) == SUCCESS

    assert_unchanged(payment, handlers)
    assert GatewayNotification.objects.get().verdict == Verdict.IGNORED


def test_a_payment_whose_notification_was_lost_is_settled_by_the_query(member, handlers, clock):
    payment = started(member)
    paid(payment)  # paid at WeChat Pay; the notification never arrives

    clock.shift(timedelta(minutes=5))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    trade = SandboxTrade.objects.get()
    assert (payment.status, payment.provider_trade_no) == (PaymentStatus.PAID, trade.trade_no)
    assert PaymentEvent.objects.get().source == EventSource.QUERY
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]


def test_an_unpaid_order_closes_at_its_deadline_by_the_query(member, handlers, clock):
    payment = started(member)

    clock.shift(timedelta(minutes=10))
    assert payment_query_pending() == 0  # NOTPAY: still open at WeChat Pay
    clock.shift(timedelta(minutes=20))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CLOSED
    assert handlers.paid == []


@pytest.fixture
def paid_payment(member, handlers) -> Payment:
    payment = started(member)
    assert handle(*paid(payment)) == SUCCESS
    payment.refresh_from_db()
    return payment


def test_a_refund_is_accepted_then_settled_by_its_notification(
    paid_payment, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        refund = payment_refund(
            payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason="取消"
        )

    assert refund.status == RefundStatus.PENDING  # PROCESSING at WeChat Pay
    assert handlers.refunded == []
    sandbox_refund = SandboxRefund.objects.get()
    assert (sandbox_refund.out_refund_no, sandbox_refund.amount_fen) == ("R-1", 3000)

    callbacks[0]()  # WeChat Pay's REFUND.SUCCESS arrives

    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id) == (
        RefundStatus.SUCCEEDED,
        sandbox_refund.refund_no,
    )
    paid_payment.refresh_from_db()
    assert (paid_payment.status, paid_payment.refunded_amount) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("30.00"),
    )
    event = PaymentEvent.objects.get(event_type=EventType.REFUNDED)
    notification = GatewayNotification.objects.order_by("pk").last()
    assert (event.amount, event.notification, notification.verdict) == (
        Decimal("30.00"),
        notification,
        Verdict.PROCESSED,
    )
    assert handlers.refunded == [(paid_payment.out_trade_no, "R-1", Decimal("30.00"))]

    again = payment_refund(
        payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason="取消"
    )
    assert (again.pk, SandboxRefund.objects.count()) == (refund.pk, 1)


def test_a_refund_outside_a_transaction_is_settled_at_once(
    paid_payment, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refund = payment_refund(
            payment=paid_payment, amount=Decimal("88.00"), request_id="R-1", reason=""
        )

    refund.refresh_from_db()
    paid_payment.refresh_from_db()
    assert (refund.status, paid_payment.status) == (RefundStatus.SUCCEEDED, PaymentStatus.REFUNDED)
    assert SandboxTrade.objects.get().status == "REFUND"


def pending_refund(payment: Payment, amount: str = "30.00") -> tuple[Refund, SandboxRefund]:
    refund = payment_refund(payment=payment, amount=Decimal(amount), request_id="R-1", reason="")
    return refund, SandboxRefund.objects.get(out_refund_no="R-1")


def refund_notice(sandbox_refund: SandboxRefund, **changes) -> tuple[str, dict[str, str]]:
    sandbox_refund = sandbox_wechat.books.refund_succeed(sandbox_refund.pk)
    resource = sandbox_wechat.refund_resource(sandbox_refund) | changes
    return sandbox_wechat.notification("REFUND.SUCCESS", resource)


def test_a_refund_notification_sent_again_is_a_duplicate(paid_payment, handlers):
    _refund, sandbox_refund = pending_refund(paid_payment)
    assert handle(*refund_notice(sandbox_refund)) == SUCCESS

    assert handle(*refund_notice(sandbox_refund)) == SUCCESS

    assert PaymentEvent.objects.filter(event_type=EventType.REFUNDED).count() == 1
    assert handlers.refunded == [(paid_payment.out_trade_no, "R-1", Decimal("30.00"))]
    verdicts = GatewayNotification.objects.order_by("pk").values_list("verdict", flat=True)
    assert list(verdicts)[-2:] == [Verdict.PROCESSED, Verdict.DUPLICATE]


def forged_refund_notice(sandbox_refund: SandboxRefund) -> tuple[str, dict[str, str]]:
    body, headers = refund_notice(sandbox_refund)
    message = f"{headers['Wechatpay-Timestamp']}\n{headers['Wechatpay-Nonce']}\n{body}\n"
    return body, headers | {
        "Wechatpay-Signature": rsa_sha256_sign(_new_key_pair()["private"], message)
    }


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (forged_refund_notice, "bad_signature"),
        (lambda r: refund_notice(r, amount={"refund": 8800, "total": 8800}), "amount_mismatch"),
        (lambda r: refund_notice(r, out_refund_no="R-9"), "unknown_refund"),
        (lambda r: refund_notice(r, out_trade_no="202612060000000000000001"), "unknown_refund"),
        (lambda r: refund_notice(r, mchid="1900000999"), "wrong_merchant_id"),
    ],
    ids=["forged", "wrong-amount", "unknown-refund", "another-payment", "wrong-merchant"],
)
def test_a_refused_refund_notification_changes_nothing(paid_payment, handlers, make, reason):
    refund, sandbox_refund = pending_refund(paid_payment)
    before = GatewayNotification.objects.count()

    status, answer = handle(*make(sandbox_refund))

    assert (status, answer["code"]) == (400, "FAIL")
    refund.refresh_from_db()
    paid_payment.refresh_from_db()
    assert (refund.status, paid_payment.status, paid_payment.refunded_amount) == (
        RefundStatus.PENDING,
        PaymentStatus.PAID,
        Decimal("0.00"),
    )
    assert not PaymentEvent.objects.filter(event_type=EventType.REFUNDED).exists()
    assert handlers.refunded == []
    notification = GatewayNotification.objects.order_by("pk").last()
    assert GatewayNotification.objects.count() == before + 1
    assert (notification.verdict, notification.error) == (Verdict.REFUSED, reason)


def test_an_abnormal_refund_fails_the_refund(paid_payment, handlers):
    refund, sandbox_refund = pending_refund(paid_payment)

    assert handle(*refund_notice(sandbox_refund, refund_status="ABNORMAL")) == SUCCESS

    refund.refresh_from_db()
    paid_payment.refresh_from_db()
    assert (refund.status, refund.error, paid_payment.status) == (
        RefundStatus.FAILED,
        "ABNORMAL",
        PaymentStatus.PAID,
    )
    assert handlers.refunded == []


def test_the_cashier_shows_a_qr_and_pays(member, handlers, django_capture_on_commit_callbacks):
    payment = new_payment(member, amount="1280.50", channel=Channel.WECHAT_H5)
    start = payment_start(
        payment=payment, base_url=BASE_URL, return_url="/member/orders/", client_ip="10.0.0.8"
    )
    client = Client()

    page = client.get(start.redirect_url).content.decode()

    assert "¥<strong data-amount>1280.50</strong>" in page
    assert "<svg" in page and ">确认支付</button>" in page and ">支付失败</button>" in page
    cashier = urlsplit(start.redirect_url).path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cashier, {"action": "pay"})
    assert response["Location"] == "http://testserver/member/orders/"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert GatewayNotification.objects.get().verdict == Verdict.PROCESSED
    assert "付款成功" in client.get(cashier).content.decode()


def test_failing_at_the_cashier_closes_the_order(member, handlers):
    payment = started(member)
    cashier = f"/payments/sandbox/wechat/{payment.out_trade_no}/"

    Client().post(cashier, {"action": "fail"})

    assert SandboxTrade.objects.get().status == "CLOSED"
    assert "该交易已关闭，不能付款。" in Client().post(cashier, {"action": "pay"}).content.decode()
    assert not GatewayNotification.objects.exists()
    assert_unchanged(payment, handlers)


def test_the_api_refuses_a_request_not_signed_by_the_merchant(member, handlers):
    status, _headers, body = sandbox_wechat.answer_api(
        "POST",
        "/v3/pay/transactions/native",
        {"Authorization": "WECHATPAY2-SHA256-RSA2048 x"},
        "{}",
    )
    assert (status, json.loads(body)["code"]) == (401, "SIGN_ERROR")
    assert not SandboxTrade.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_notifications_pay_once_and_refund_once(member, handlers):
    payment = started(member)
    deliveries = [paid(payment) for _ in range(6)]  # WeChat Pay re-sends: a nonce each

    def deliver_all(notices):
        barrier = threading.Barrier(len(notices))
        replies = []

        def deliver(notice):
            barrier.wait()
            try:
                replies.append(handle(*notice))
            finally:
                connection.close()

        threads = [threading.Thread(target=deliver, args=(notice,)) for notice in notices]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return replies

    assert deliver_all(deliveries) == [SUCCESS] * 6
    assert PaymentEvent.objects.filter(event_type=EventType.PAID).count() == 1
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]

    payment.refresh_from_db()
    _refund, sandbox_refund = pending_refund(payment)
    assert deliver_all([refund_notice(sandbox_refund) for _ in range(6)]) == [SUCCESS] * 6

    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("30.00"),
    )
    assert PaymentEvent.objects.filter(event_type=EventType.REFUNDED).count() == 1
    assert handlers.refunded == [(payment.out_trade_no, "R-1", Decimal("30.00"))]
