"""The ledger follows every gateway refund of a checkout: REFUND when asked, REFUND_SETTLED when
the gateway confirms, a reversal when it refuses; once per refund request."""

import datetime
from decimal import Decimal
from unittest.mock import ANY
from urllib.error import URLError
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import checkout_pay, order_refund
from rongcheng.checkout.tests.buying import Mall, buy
from rongcheng.ledger import chart
from rongcheng.ledger.models import Journal
from rongcheng.ledger.selectors import balance_differences, unbalanced_journals
from rongcheng.orders.models import Order
from rongcheng.orders.refunds import RefundDue
from rongcheng.orders.services import cancellation_accept, cancellation_request
from rongcheng.payments.errors import GatewayUnavailable, RefundExceedsPayment
from rongcheng.payments.models import (
    Channel,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    SandboxAlipayTrade,
)
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.sandbox import unionpay as sandbox_unionpay
from rongcheng.payments.sandbox import wechat as sandbox_wechat
from rongcheng.payments.services import (
    payment_notification_handle,
    payment_refund,
    payment_refunds_retry,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
TOTAL = Decimal("2560.00")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def placed(mall) -> Checkout:
    mall.stock(mall.store_a, mall.sku_m, 2)
    return buy(mall, mall.sku_m, 2, pickup=mall.store_a)


def open_payment(checkout: Checkout, channel: str) -> tuple[Payment, str, dict[str, str]]:
    """The buyer pays at the sandbox provider: its notification, not yet delivered."""
    payment, started = checkout_pay(
        buyer=checkout.buyer,
        checkout_number=checkout.number,
        channel=channel,
        base_url="http://testserver",
        return_url="/member/orders/",
    )
    if payment.provider == "alipay":
        sandbox_alipay.open_cashier(urlsplit(started.redirect_url).query)
        _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
        return payment, body, {}
    if payment.provider == "wechat":
        _trade, body, headers = sandbox_wechat.paid_notification(payment.out_trade_no)
        return payment, body, headers
    assert Client().post(started.form_action, dict(started.form_fields)).status_code == 302
    _trade, body, headers = sandbox_unionpay.paid_notification(payment.out_trade_no)
    return payment, body, headers


def deliver(payment: Payment, body: str, headers: dict[str, str]) -> None:
    reply = payment_notification_handle(
        provider=payment.provider, body=body.encode(), headers=headers
    )
    assert reply.status == 200
    payment.refresh_from_db()
    assert payment.status != PaymentStatus.PENDING


def pay(checkout: Checkout, channel: str) -> Payment:
    payment, body, headers = open_payment(checkout, channel)
    deliver(payment, body, headers)
    return payment


def legs(journal: Journal) -> list[tuple[str, str, int | None, Decimal]]:
    return sorted(
        (entry.account.kind, entry.account.code, entry.account.store_id, entry.amount)
        for entry in journal.entries.select_related("account")
    )


def assert_reconciled() -> None:
    assert balance_differences() == []
    assert unbalanced_journals() == []


def cancel(mall: Mall, checkout: Checkout, committed) -> tuple[Order, str]:
    order = checkout.orders.get()
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")
    with committed():
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.pk)
    return order, f"cancel-{request.pk}"


@pytest.mark.parametrize(
    "channel", [Channel.ALIPAY_PAGE, Channel.WECHAT_NATIVE, Channel.UNIONPAY_PC]
)
def test_an_accepted_cancellation_posts_the_refund_and_its_settlement_once(
    mall, placed, committed, channel
):
    payment = pay(placed, channel)
    gateway = payment.provider

    order, key = cancel(mall, placed, committed)

    refund = Refund.objects.get()
    assert (refund.request_id, refund.reference, refund.status) == (
        key,
        order.number,
        RefundStatus.SUCCEEDED,
    )
    requested = Journal.objects.get(kind="refund")
    assert (requested.idempotency_key, requested.reference) == (f"refund:{key}", key)
    assert legs(requested) == [
        ("refunds_payable", gateway, None, TOTAL),
        ("store_receivable", "", mall.store_a.id, -TOTAL),
    ]
    settled = Journal.objects.get(kind="refund_settled")
    assert legs(settled) == [
        ("gateway_clearing", gateway, None, TOTAL),
        ("refunds_payable", gateway, None, -TOTAL),
    ]
    assert chart.gateway_clearing(gateway).balance == Decimal("0.00")
    assert chart.refunds_payable(gateway).balance == Decimal("0.00")
    assert chart.store_receivable(mall.store_a).balance == Decimal("0.00")
    assert_reconciled()

    # The hook asked again: the same refund, no new journal.
    with committed():
        order_refund(RefundDue(key, placed.number, order.number, TOTAL, "买错尺码"))
    assert Refund.objects.count() == 1
    assert Journal.objects.count() == 3
    assert_reconciled()


def test_a_refund_awaiting_the_gateway_is_owed_until_it_is_confirmed(
    mall, placed, django_capture_on_commit_callbacks
):
    payment = pay(placed, Channel.WECHAT_NATIVE)
    order = placed.orders.get()

    with django_capture_on_commit_callbacks() as callbacks:
        refund = payment_refund(
            payment=payment,
            amount=Decimal("1000.00"),
            request_id="part-1",
            reason="少发一件",
            reference=order.number,
        )

    assert refund.status == RefundStatus.PENDING  # PROCESSING at WeChat Pay
    assert list(Journal.objects.values_list("kind", flat=True).order_by("id")) == [
        "checkout_payment",
        "refund",
    ]
    assert chart.refunds_payable("wechat").balance == Decimal("1000.00")
    assert chart.store_receivable(mall.store_a).balance == Decimal("1560.00")
    assert_reconciled()

    callbacks[0]()  # WeChat Pay's REFUND.SUCCESS arrives

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert chart.refunds_payable("wechat").balance == Decimal("0.00")
    assert chart.gateway_clearing("wechat").balance == Decimal("-1560.00")
    assert Journal.objects.filter(kind="refund_settled").count() == 1
    assert_reconciled()


def test_a_refund_the_gateway_refuses_is_reversed_and_the_store_owed_again(mall, placed):
    payment = pay(placed, Channel.ALIPAY_PAGE)
    order = placed.orders.get()
    # Alipay no longer holds the money: refunded outside the platform.
    SandboxAlipayTrade.objects.filter(out_trade_no=payment.out_trade_no).update(
        refunded_amount=TOTAL
    )

    refund = payment_refund(
        payment=payment, amount=TOTAL, request_id="R-1", reason="", reference=order.number
    )

    assert refund.status == RefundStatus.FAILED
    requested = Journal.objects.get(kind="refund")
    reversal = Journal.objects.get(kind="reversal")
    assert (reversal.reverses, reversal.idempotency_key) == (requested, "reversal:refund:R-1")
    assert legs(reversal) == [
        ("refunds_payable", "alipay", None, -TOTAL),
        ("store_receivable", "", mall.store_a.id, TOTAL),
    ]
    assert chart.store_receivable(mall.store_a).balance == TOTAL
    assert chart.refunds_payable("alipay").balance == Decimal("0.00")
    assert not Journal.objects.filter(kind="refund_settled").exists()
    assert_reconciled()


def test_an_unreachable_gateway_leaves_the_refund_owed_and_asking_again_settles_it(
    mall, placed, monkeypatch
):
    payment = pay(placed, Channel.ALIPAY_PAGE)
    order = placed.orders.get()
    monkeypatch.setattr(sandbox_alipay, "answer_api", _unreachable)
    with pytest.raises(GatewayUnavailable):
        payment_refund(
            payment=payment, amount=TOTAL, request_id="R-1", reason="", reference=order.number
        )
    assert chart.refunds_payable("alipay").balance == TOTAL
    monkeypatch.undo()

    payment_refund(
        payment=payment, amount=TOTAL, request_id="R-1", reason="", reference=order.number
    )

    assert Journal.objects.filter(kind="refund").count() == 1
    assert Journal.objects.filter(kind="refund_settled").count() == 1
    assert chart.refunds_payable("alipay").balance == Decimal("0.00")
    assert_reconciled()


def _unreachable(url, timeout):
    raise URLError("connection refused")


def test_money_no_order_took_goes_back_through_the_clearing_account(mall, placed, committed):
    page, page_body, _headers = open_payment(placed, Channel.ALIPAY_PAGE)
    wap, wap_body, _headers = open_payment(placed, Channel.ALIPAY_WAP)
    deliver(page, page_body, {})

    with committed():
        deliver(wap, wap_body, {})  # a second payment of the paid checkout: refunded whole

    key = f"surplus-{wap.out_trade_no}"
    refund = Refund.objects.get()
    assert (refund.request_id, refund.reference, refund.status) == (key, "", RefundStatus.SUCCEEDED)
    assert legs(Journal.objects.get(kind="refund")) == [
        ("gateway_clearing", "alipay", None, -TOTAL),
        ("refunds_payable", "alipay", None, TOTAL),
    ]
    assert legs(Journal.objects.get(kind="refund_settled")) == [
        ("gateway_clearing", "alipay", None, TOTAL),
        ("refunds_payable", "alipay", None, -TOTAL),
    ]
    # Only the first payment's money stays at Alipay, owed to the store.
    assert chart.gateway_clearing("alipay").balance == -TOTAL
    assert chart.store_receivable(mall.store_a).balance == TOTAL
    assert_reconciled()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cuts=st.lists(st.integers(min_value=1, max_value=256000), min_size=1, max_size=4))
@example(cuts=[256000, 1])  # refunded in full, then asked again: refused for the amount
def test_partial_refunds_in_any_amounts_keep_the_ledger_balanced(mall, cuts):
    """However an order's refunds are cut, the store is owed its total less what went back,
    the gateway's clearing account holds the rest, nothing stays owed, and every refund past
    what is left is refused with nothing posted."""
    mall.stock(mall.store_a, mall.sku_m, 2)
    checkout = buy(mall, mall.sku_m, 2, pickup=mall.store_a)
    receivable = chart.store_receivable(mall.store_a).balance
    clearing = chart.gateway_clearing("alipay").balance
    payment = pay(checkout, Channel.ALIPAY_PAGE)
    order = checkout.orders.get()
    refunded = 0
    for index, fen in enumerate(cuts):
        request = dict(
            payment=payment,
            amount=Decimal(fen) / 100,
            request_id=f"{payment.out_trade_no}-{index}",
            reason="",
            reference=order.number,
        )
        if refunded + fen > 256000:
            journals = Journal.objects.count()
            with pytest.raises(RefundExceedsPayment):
                payment_refund(**request)
            assert Journal.objects.count() == journals
            continue
        assert payment_refund(**request).status == RefundStatus.SUCCEEDED
        refunded += fen

    left = TOTAL - Decimal(refunded) / 100
    assert chart.store_receivable(mall.store_a).balance - receivable == left
    assert chart.gateway_clearing("alipay").balance - clearing == -left
    assert chart.refunds_payable("alipay").balance == Decimal("0.00")
    assert_reconciled()


def test_a_refund_retried_after_a_passing_refusal_posts_under_each_request_id(
    mall, placed, monkeypatch
):
    payment = pay(placed, Channel.ALIPAY_PAGE)
    order = placed.orders.get()
    monkeypatch.setitem(
        sandbox_alipay.API,
        "alipay.trade.refund",
        lambda params, biz: sandbox_alipay._failed("ACQ.SELLER_BALANCE_NOT_ENOUGH", "余额不足"),
    )
    payment_refund(
        payment=payment, amount=TOTAL, request_id="R-1", reason="", reference=order.number
    )
    monkeypatch.undo()

    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        assert payment_refunds_retry() == 1

    assert list(
        Journal.objects.order_by("id").values_list("kind", "idempotency_key", "reference")
    ) == [
        ("checkout_payment", f"checkout_payment:payment:{payment.out_trade_no}", ANY),
        ("refund", "refund:R-1", "R-1"),
        ("reversal", "reversal:refund:R-1", "R-1"),
        ("refund", "refund:R-1-r2", "R-1-r2"),
        ("refund_settled", "refund_settled:R-1-r2", "R-1-r2"),
    ]
    assert chart.store_receivable(mall.store_a).balance == Decimal("0.00")
    assert chart.gateway_clearing("alipay").balance == Decimal("0.00")
    assert chart.refunds_payable("alipay").balance == Decimal("0.00")
    assert_reconciled()
