from decimal import Decimal

import pytest

from rongcheng.ledger import chart
from rongcheng.ledger.errors import InsufficientBalance, InvalidPosting
from rongcheng.ledger.models import JournalKind
from rongcheng.ledger.services import (
    journal_reverse,
    post_cash_payment,
    post_checkout_payment,
    post_refund,
    post_refund_settled,
    post_wallet_payment,
    post_wallet_topup,
)
from rongcheng.ledger.tests.conftest import balances, ledger_size

pytestmark = pytest.mark.django_db

D = Decimal


def _legs(journal):
    return sorted(
        (
            entry.account.kind,
            entry.account.store_id or entry.account.owner_id or entry.account.code,
            entry.amount,
        )
        for entry in journal.entries.select_related("account")
    )


def test_checkout_payment_owes_each_store_its_order(shops):
    a, b = shops
    journal = post_checkout_payment(
        gateway="alipay",
        reference="checkout:C1",
        amount=D("1299.50"),
        parts=[(a, D("999.00")), (b, D("300.50"))],
    )
    assert (journal.kind, journal.idempotency_key) == (
        JournalKind.CHECKOUT_PAYMENT,
        "checkout_payment:checkout:C1",
    )
    assert _legs(journal) == [
        ("gateway_clearing", "alipay", D("-1299.50")),
        ("store_receivable", a.pk, D("999.00")),
        ("store_receivable", b.pk, D("300.50")),
    ]
    again = post_checkout_payment(
        gateway="alipay",
        reference="checkout:C1",
        amount=D("1299.50"),
        parts=[(a, D("999.00")), (b, D("300.50"))],
    )
    assert again.pk == journal.pk
    assert ledger_size() == (1, 3)


@pytest.mark.parametrize(
    "parts",
    [
        [("a", D("999.00")), ("b", D("300.49"))],  # one fen short
        [("a", D("1299.50")), ("b", D("0.00"))],  # an empty order
        [],
    ],
)
def test_checkout_parts_must_add_up_to_the_amount(shops, parts):
    stores = {"a": shops[0], "b": shops[1]}
    with pytest.raises(InvalidPosting):
        post_checkout_payment(
            gateway="wechat",
            reference="checkout:C2",
            amount=D("1299.50"),
            parts=[(stores[name], amount) for name, amount in parts],
        )
    assert ledger_size() == (0, 0)


def test_cash_payment_is_held_by_the_store_that_took_it(shops):
    a, b = shops
    journal = post_cash_payment(
        store=a,
        reference="checkout:C3",
        amount=D("500.00"),
        parts=[(a, D("200.00")), (b, D("300.00"))],
    )
    assert _legs(journal) == [
        ("store_cash", a.pk, D("-500.00")),
        ("store_receivable", a.pk, D("200.00")),
        ("store_receivable", b.pk, D("300.00")),
    ]


def test_wallet_payment_within_the_balance(member, shops):
    a, b = shops
    post_wallet_topup(member=member, gateway="wechat", reference="topup:T1", amount=D("800.00"))
    post_wallet_payment(
        member=member,
        reference="checkout:C4",
        amount=D("750.00"),
        parts=[(a, D("450.00")), (b, D("300.00"))],
    )
    assert balances(
        chart.member_wallet(member),
        chart.gateway_clearing("wechat"),
        chart.store_receivable(a),
        chart.store_receivable(b),
    ) == [D("50.00"), D("-800.00"), D("450.00"), D("300.00")]


def test_wallet_payment_beyond_the_balance_is_refused(member, shops):
    post_wallet_topup(member=member, gateway="wechat", reference="topup:T1", amount=D("100.00"))
    with pytest.raises(InsufficientBalance):
        post_wallet_payment(
            member=member,
            reference="checkout:C5",
            amount=D("100.01"),
            parts=[(shops[0], D("100.01"))],
        )
    assert ledger_size() == (1, 2)
    assert balances(chart.member_wallet(member), chart.store_receivable(shops[0])) == [
        D("100.00"),
        D("0.00"),
    ]


def test_gateway_refund_waits_for_the_gateway_then_settles(shops):
    a, b = shops
    post_checkout_payment(
        gateway="unionpay",
        reference="checkout:C6",
        amount=D("500.00"),
        parts=[(a, D("200.00")), (b, D("300.00"))],
    )
    refund = post_refund(
        reference="refund:R1", parts=[(b, D("120.00"))], to=chart.refunds_payable("unionpay")
    )
    assert _legs(refund) == [
        ("refunds_payable", "unionpay", D("120.00")),
        ("store_receivable", b.pk, D("-120.00")),
    ]
    post_refund_settled(gateway="unionpay", reference="refund:R1", amount=D("120.00"))
    assert balances(
        chart.gateway_clearing("unionpay"),
        chart.refunds_payable("unionpay"),
        chart.store_receivable(a),
        chart.store_receivable(b),
    ) == [D("-380.00"), D("0.00"), D("200.00"), D("180.00")]


def test_a_refused_gateway_refund_is_reversed(shops):
    a, _b = shops
    post_checkout_payment(
        gateway="alipay", reference="checkout:C7", amount=D("99.00"), parts=[(a, D("99.00"))]
    )
    refund = post_refund(
        reference="refund:R2", parts=[(a, D("99.00"))], to=chart.refunds_payable("alipay")
    )
    journal_reverse(journal=refund, idempotency_key="refund_failed:R2", reason="渠道退款失败")
    assert balances(chart.store_receivable(a), chart.refunds_payable("alipay")) == [
        D("99.00"),
        D("0.00"),
    ]


def test_refund_to_the_wallet_and_cash_back_at_the_counter(member, shops):
    a, b = shops
    post_checkout_payment(
        gateway="alipay",
        reference="checkout:C8",
        amount=D("500.00"),
        parts=[(a, D("200.00")), (b, D("300.00"))],
    )
    post_refund(
        reference="refund:R3",
        parts=[(a, D("50.00")), (b, D("60.00"))],
        to=chart.member_wallet(member),
    )
    post_refund(reference="refund:R4", parts=[(a, D("10.00"))], to=chart.store_cash(a))
    assert balances(
        chart.member_wallet(member),
        chart.store_receivable(a),
        chart.store_receivable(b),
        chart.store_cash(a),
    ) == [D("110.00"), D("140.00"), D("240.00"), D("10.00")]


def test_refund_beyond_what_a_store_is_owed_is_refused(member, shops):
    a, b = shops
    post_checkout_payment(
        gateway="alipay",
        reference="checkout:C9",
        amount=D("500.00"),
        parts=[(a, D("200.00")), (b, D("300.00"))],
    )
    with pytest.raises(InsufficientBalance):
        post_refund(reference="refund:R5", parts=[(a, D("200.01"))], to=chart.member_wallet(member))
    assert ledger_size() == (1, 3)
    assert chart.member_wallet(member).balance == D("0.00")


def test_refund_repeated_with_its_reference_posts_once(member, shops):
    a, _b = shops
    post_checkout_payment(
        gateway="alipay", reference="checkout:C10", amount=D("80.00"), parts=[(a, D("80.00"))]
    )
    first = post_refund(
        reference="refund:R6", parts=[(a, D("30.00"))], to=chart.member_wallet(member)
    )
    second = post_refund(
        reference="refund:R6", parts=[(a, D("30.00"))], to=chart.member_wallet(member)
    )
    assert second.pk == first.pk
    assert balances(chart.member_wallet(member), chart.store_receivable(a)) == [
        D("30.00"),
        D("50.00"),
    ]
