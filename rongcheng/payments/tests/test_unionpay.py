"""UnionPay online gateway (5.1.0) through the sandbox: the front form, backend notifications
verified by signature and certificate chain, query, refunds with their notifications."""

import hashlib
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import time_machine
from django.test import Client

from rongcheng.payments.gateways.common import public_key_of, rsa_sha256_verify
from rongcheng.payments.gateways.unionpay import UnionpayGateway, refund_order_id, sign
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
from rongcheng.payments.sandbox import books
from rongcheng.payments.sandbox import unionpay as sandbox_unionpay
from rongcheng.payments.sandbox.keys import _new_key_pair
from rongcheng.payments.services import (
    payment_notification_handle,
    payment_query_pending,
    payment_refund,
    payment_refunds_retry,
    payment_start,
)
from rongcheng.payments.tests.conftest import BASE_URL, START, assert_unchanged, new_payment

pytestmark = pytest.mark.django_db
NOTIFY_URL = "/payments/notify/unionpay/"
FRONT = "/payments/sandbox/unionpay/gateway/api/frontTransReq.do"


def opened(buyer, channel=Channel.UNIONPAY_PC, amount="88.00") -> Payment:
    """A payment whose buyer's browser posted the front form to UnionPay's gateway."""
    payment = new_payment(buyer, channel=channel, amount=amount)
    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/member/orders/")
    response = Client().post(start.form_action, dict(start.form_fields))
    assert response.status_code == 302
    return payment


def handle(body: str) -> tuple[int, str]:
    reply = payment_notification_handle(
        provider="unionpay",
        body=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    return reply.status, reply.body


def paid(payment: Payment) -> str:
    _trade, body, _headers = sandbox_unionpay.paid_notification(payment.out_trade_no)
    return body


def params_of(body: str) -> dict[str, str]:
    return dict(parse_qsl(body, keep_blank_values=True))


@time_machine.travel(START, tick=False)
@pytest.mark.parametrize(
    ("channel", "channel_type"), [(Channel.UNIONPAY_PC, "07"), (Channel.UNIONPAY_WAP, "08")]
)
def test_the_front_form_is_signed_by_the_5_1_0_rule(member, handlers, channel, channel_type):
    payment = new_payment(member, amount="1280.50", channel=channel)

    start = payment_start(payment=payment, base_url="https://shop.example.com/", return_url="/o/")

    assert start.form_action == f"https://shop.example.com{FRONT}"
    form = dict(start.form_fields)
    assert {k: v for k, v in form.items() if k not in ("signature", "certId")} == {
        "version": "5.1.0",
        "encoding": "UTF-8",
        "signMethod": "01",
        "accessType": "0",
        "merId": sandbox_unionpay.MER_ID,
        "txnType": "01",
        "txnSubType": "01",
        "bizType": "000201",
        "channelType": channel_type,
        "orderId": payment.out_trade_no,
        "txnTime": "20261206100000",
        "txnAmt": "128050",
        "currencyCode": "156",
        "frontUrl": "https://shop.example.com/o/",
        "backUrl": "https://shop.example.com/payments/notify/unionpay/",
        "payTimeout": "20261206103000",
    }
    # signature = base64(RSA-SHA256(hex(SHA-256("k=v&…" sorted, without signature))))
    text = "&".join(f"{k}={form[k]}" for k in sorted(form) if k != "signature")
    digest = hashlib.sha256(text.encode()).hexdigest()
    merchant = public_key_of(sandbox_unionpay._material()["merchant"]["public"])
    assert rsa_sha256_verify(merchant, digest, form["signature"])
    assert form["certId"] == str(int(form["certId"]))


def test_the_gateway_page_posts_the_form_at_once(member, handlers, rf):
    from rongcheng.payments.views import gateway_form

    payment = new_payment(member, channel=Channel.UNIONPAY_PC)
    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/")

    page = gateway_form(rf.get("/"), start).content.decode()

    assert f'action="{start.form_action}" data-auto-submit' in page
    assert f'name="orderId" value="{payment.out_trade_no}"' in page
    assert "payments/auto-submit.js" in page


def test_the_gateway_refuses_a_form_not_signed_by_the_merchant(member, handlers):
    payment = new_payment(member, channel=Channel.UNIONPAY_PC)
    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/")

    response = Client().post(FRONT, dict(start.form_fields) | {"txnAmt": "1"})

    assert response.status_code == 400
    assert not SandboxTrade.objects.exists()


def test_a_valid_notification_pays_once(member, handlers):
    payment = opened(member)
    body = paid(payment)
    trade = SandboxTrade.objects.get()

    response = Client(enforce_csrf_checks=True).post(
        NOTIFY_URL, body, content_type="application/x-www-form-urlencoded; charset=UTF-8"
    )

    assert (response.status_code, response.content) == (200, b"ok")
    payment.refresh_from_db()
    assert (payment.status, payment.provider_trade_no) == (PaymentStatus.PAID, trade.trade_no)
    event = PaymentEvent.objects.get()
    assert (event.event_type, event.provider_txn_id, event.amount, event.source) == (
        EventType.PAID,
        trade.trade_no,
        Decimal("88.00"),
        EventSource.NOTIFICATION,
    )
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.payment) == (Verdict.PROCESSED, payment)
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]


def test_a_repeated_notification_changes_nothing_and_still_succeeds(member, handlers):
    payment = opened(member)
    body = paid(payment)
    assert handle(body) == (200, "ok")

    assert handle(body) == (200, "ok")

    assert PaymentEvent.objects.count() == 1
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    assert list(GatewayNotification.objects.order_by("pk").values_list("verdict", flat=True)) == [
        Verdict.PROCESSED,
        Verdict.DUPLICATE,
    ]


def resigned(body: str, **changes: str) -> str:
    """Changed and signed again by the sandbox UnionPay, as a genuine message."""
    params = params_of(body)
    params.pop("signature")
    return urlencode(sandbox_unionpay.signed(params | changes))


def forged(body: str) -> str:
    """Signed with another key, UnionPay's certificate attached."""
    params = params_of(body)
    params.pop("signature")
    return urlencode(sign(params, _new_key_pair()["private"]))


def self_made_certificate(body: str) -> str:
    """Signed with a key whose certificate names UnionPay but was not issued by its CA."""
    impostor = sandbox_unionpay._make_material()["unionpay"]
    params = params_of(body) | {"signPubKeyCert": impostor["cert"]}
    params.pop("signature")
    return urlencode(sign(params, impostor["private"]))


def merchant_certificate(body: str) -> str:
    """Signed with a certificate of our CA that does not belong to UnionPay (the merchant's)."""
    merchant = sandbox_unionpay._material()["merchant"]
    params = params_of(body) | {"signPubKeyCert": merchant["cert"]}
    params.pop("signature")
    return urlencode(sign(params, merchant["private"]))


def tampered(body: str) -> str:
    return urlencode(params_of(body) | {"txnAmt": "1"})


@pytest.mark.parametrize(
    ("make_body", "reason"),
    [
        (forged, "bad_signature"),
        (tampered, "bad_signature"),
        (self_made_certificate, "bad_signature"),
        (merchant_certificate, "bad_signature"),
        (
            lambda b: urlencode({k: v for k, v in params_of(b).items() if k != "signature"}),
            "bad_signature",
        ),
        (lambda b: resigned(b, merId="777290058119999"), "wrong_merchant_id"),
        (lambda b: resigned(b, txnAmt="8799"), "amount_mismatch"),
        (lambda b: resigned(b, orderId="202612060000000000000001"), "unknown_trade"),
        (lambda b: resigned(b, txnAmt="88.00"), "malformed_amount"),
        (lambda b: b + "&txnAmt=8800", "malformed"),
    ],
    ids=[
        "forged",
        "tampered",
        "certificate-not-from-the-ca",
        "certificate-not-unionpays",
        "unsigned",
        "wrong-merchant",
        "wrong-amount",
        "unknown",
        "amount-in-yuan",
        "repeated-key",
    ],
)
def test_a_refused_notification_changes_nothing_and_fails(member, handlers, make_body, reason):
    payment = opened(member)

    status, body = handle(make_body(paid(payment)))

    assert (status, body) == (400, "fail")
    assert_unchanged(payment, handlers)
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.error) == (Verdict.REFUSED, reason)


def test_a_genuine_notification_of_a_failed_payment_is_acknowledged_and_ignored(member, handlers):
    payment = opened(member)

    assert handle(resigned(paid(payment), respCode="01")) == (200, "ok")

    assert_unchanged(payment, handlers)
    assert GatewayNotification.objects.get().verdict == Verdict.IGNORED


def test_a_payment_whose_notification_was_lost_is_settled_by_the_query(member, handlers, clock):
    payment = opened(member)
    paid(payment)

    clock.shift(timedelta(minutes=5))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    assert (payment.status, payment.provider_trade_no) == (
        PaymentStatus.PAID,
        SandboxTrade.objects.get().trade_no,
    )
    assert PaymentEvent.objects.get().source == EventSource.QUERY
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]


def test_a_payment_never_paid_closes_after_its_deadline_by_the_query(member, handlers, clock):
    payment = opened(member)

    clock.shift(timedelta(minutes=10))
    assert payment_query_pending() == 0  # 34: no such transaction yet, still in time
    clock.shift(timedelta(minutes=20))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CLOSED


def test_a_payment_failed_at_the_cashier_closes_by_the_query(member, handlers, clock):
    payment = opened(member)
    Client().post(f"/payments/sandbox/unionpay/{payment.out_trade_no}/", {"action": "fail"})

    clock.shift(timedelta(minutes=5))
    assert payment_query_pending() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CLOSED
    assert handlers.paid == []


@pytest.fixture
def paid_payment(member, handlers) -> Payment:
    payment = opened(member)
    assert handle(paid(payment)) == (200, "ok")
    payment.refresh_from_db()
    return payment


def test_a_refund_is_accepted_then_settled_by_its_notification(
    paid_payment, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        refund = payment_refund(
            payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason="取消"
        )

    assert refund.status == RefundStatus.PENDING
    sandbox_refund = SandboxRefund.objects.get()
    assert (sandbox_refund.out_refund_no, sandbox_refund.amount_fen) == (
        refund_order_id("R-1"),
        3000,
    )

    callbacks[0]()  # UnionPay's refund notification (txnType 04) arrives

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
    assert handlers.refunded == [(paid_payment.out_trade_no, "R-1", Decimal("30.00"))]
    again = payment_refund(
        payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason="取消"
    )
    assert (again.pk, SandboxRefund.objects.count()) == (refund.pk, 1)


def pending_refund(payment: Payment) -> tuple[Refund, SandboxRefund]:
    refund = payment_refund(payment=payment, amount=Decimal("30.00"), request_id="R-1", reason="")
    return refund, SandboxRefund.objects.get()


def refund_notice(sandbox_refund: SandboxRefund) -> str:
    return sandbox_unionpay.refund_notification(sandbox_refund.pk, "R-1")


def test_a_refund_notification_sent_again_is_a_duplicate(paid_payment, handlers):
    _refund, sandbox_refund = pending_refund(paid_payment)
    body = refund_notice(sandbox_refund)
    assert handle(body) == (200, "ok")

    assert handle(body) == (200, "ok")

    assert PaymentEvent.objects.filter(event_type=EventType.REFUNDED).count() == 1
    assert handlers.refunded == [(paid_payment.out_trade_no, "R-1", Decimal("30.00"))]
    verdicts = GatewayNotification.objects.order_by("pk").values_list("verdict", flat=True)
    assert list(verdicts)[-2:] == [Verdict.PROCESSED, Verdict.DUPLICATE]


@pytest.mark.parametrize(
    ("make_body", "reason"),
    [
        (forged, "bad_signature"),
        (tampered, "bad_signature"),
        (lambda b: resigned(b, txnAmt="8800"), "amount_mismatch"),
        (lambda b: resigned(b, reqReserved="R-9"), "unknown_refund"),
        (lambda b: resigned(b, origQryId="4200000000000000000000"), "unknown_refund"),
        (lambda b: resigned(b, merId="777290058119999"), "wrong_merchant_id"),
    ],
    ids=[
        "forged",
        "tampered",
        "wrong-amount",
        "unknown-refund",
        "another-payment",
        "wrong-merchant",
    ],
)
def test_a_refused_refund_notification_changes_nothing(paid_payment, handlers, make_body, reason):
    refund, sandbox_refund = pending_refund(paid_payment)
    before = GatewayNotification.objects.count()

    assert handle(make_body(refund_notice(sandbox_refund))) == (400, "fail")

    refund.refresh_from_db()
    paid_payment.refresh_from_db()
    assert (refund.status, paid_payment.status, paid_payment.refunded_amount) == (
        RefundStatus.PENDING,
        PaymentStatus.PAID,
        Decimal("0.00"),
    )
    assert handlers.refunded == []
    assert GatewayNotification.objects.count() == before + 1
    notification = GatewayNotification.objects.order_by("pk").last()
    assert (notification.verdict, notification.error) == (Verdict.REFUSED, reason)


def test_a_refund_beyond_the_payment_is_refused_by_unionpay(paid_payment, handlers):
    trade = SandboxTrade.objects.get()
    books.refund_record(trade, out_refund_no="ELSEWHERE", amount_fen=8000, notify_url="")

    refund = payment_refund(
        payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason=""
    )

    assert (refund.status, refund.error) == (
        RefundStatus.FAILED,
        "13 退货金额超限或交易状态不允许退货",
    )
    paid_payment.refresh_from_db()
    assert paid_payment.status == PaymentStatus.PAID


def test_the_card_cashier_renders_and_pays(member, handlers, django_capture_on_commit_callbacks):
    payment = opened(member, amount="1280.50")
    cashier = f"/payments/sandbox/unionpay/{payment.out_trade_no}/"
    client = Client()

    page = client.get(cashier).content.decode()

    assert "¥<strong data-amount>1280.50</strong>" in page
    assert 'name="card"' in page and ">确认付款</button>" in page and ">支付失败</button>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cashier, {"action": "pay"})
    assert response["Location"] == "http://testserver/member/orders/"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert "付款成功" in client.get(cashier).content.decode()


def test_answers_not_signed_by_unionpay_make_the_gateway_unavailable(member, handlers):
    from rongcheng.payments.errors import GatewayUnavailable

    payment = opened(member)
    gateway = UnionpayGateway()
    config = gateway.config
    unsigned = type(config)(**(config.__dict__ | {"transport": lambda url, form: "respCode=00"}))

    with pytest.raises(GatewayUnavailable):
        UnionpayGateway(unsigned).query(payment)
    assert urlsplit(config.gateway).path == "/payments/sandbox/unionpay"


def test_a_failed_refund_notification_fails_the_refund(paid_payment, handlers):
    refund, sandbox_refund = pending_refund(paid_payment)

    body = resigned(refund_notice(sandbox_refund), respCode="01", respMsg="交易失败")
    assert handle(body) == (200, "ok")

    refund.refresh_from_db()
    paid_payment.refresh_from_db()
    assert (refund.status, refund.error, paid_payment.status) == (
        RefundStatus.FAILED,
        "01 交易失败",
        PaymentStatus.PAID,
    )
    assert handlers.refunded == []


def refusing(code: str, message: str):
    """UnionPay's answer to backTransReq.do refusing the refund with `code`."""

    def answer(request: dict[str, str]) -> str:
        return sandbox_unionpay._answer(request, respCode=code, respMsg=message)

    return answer


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("02", "系统未开放或暂时关闭，请稍后再试"),
        ("06", "系统繁忙，请稍后再试"),
        ("37", "已超过最大查询次数或操作过于频繁"),
        ("39", "交易不在受理时间范围内"),
    ],
)
def test_a_refund_refused_for_a_passing_reason_is_asked_again_under_a_new_id(
    clock, paid_payment, handlers, monkeypatch, code, message
):
    monkeypatch.setattr(sandbox_unionpay, "_refund", refusing(code, message))
    failed = payment_refund(
        payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason=""
    )
    assert (failed.status, failed.retryable, failed.error) == (
        RefundStatus.FAILED,
        True,
        f"{code} {message}",
    )
    monkeypatch.undo()

    clock.shift(timedelta(minutes=9, seconds=59))
    assert payment_refunds_retry() == 0
    clock.shift(timedelta(seconds=1))
    assert payment_refunds_retry() == 1

    retry = Refund.objects.get(retry_of=failed)
    assert (retry.request_id, retry.attempt, retry.amount, retry.status) == (
        "R-1-r2",
        2,
        Decimal("30.00"),
        RefundStatus.PENDING,  # accepted (respCode 00): its notification settles it
    )
    assert list(SandboxRefund.objects.values_list("out_refund_no", "amount_fen")) == [
        (refund_order_id("R-1-r2"), 3000)
    ]
    assert payment_refunds_retry() == 0
    assert Refund.objects.count() == 2


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("01", "交易失败。详情请咨询95516"),
        ("12", "重复交易"),
        ("31", "商户状态不正确"),
        ("35", "原交易不存在或状态不正确"),
        ("45", "原交易已被成功退货或已被成功撤销"),
        ("60", "交易失败，详情请咨询您的发卡行"),
    ],
)
def test_a_refund_refused_for_good_is_never_asked_again(
    clock, paid_payment, handlers, monkeypatch, code, message
):
    monkeypatch.setattr(sandbox_unionpay, "_refund", refusing(code, message))
    failed = payment_refund(
        payment=paid_payment, amount=Decimal("30.00"), request_id="R-1", reason=""
    )
    assert (failed.status, failed.retryable, failed.error) == (
        RefundStatus.FAILED,
        False,
        f"{code} {message}",
    )
    monkeypatch.undo()

    clock.shift(timedelta(hours=1))
    assert payment_refunds_retry() == 0

    assert list(Refund.objects.values_list("request_id", "status")) == [
        ("R-1", RefundStatus.FAILED)
    ]
    assert not SandboxRefund.objects.exists()
    paid_payment.refresh_from_db()
    assert (paid_payment.status, paid_payment.refunded_amount) == (
        PaymentStatus.PAID,
        Decimal("0.00"),
    )
    assert handlers.refunded == []
