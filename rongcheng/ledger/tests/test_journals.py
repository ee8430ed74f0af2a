from decimal import Decimal

import pytest

from rongcheng.ledger import chart
from rongcheng.ledger.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientBalance,
    InvalidPosting,
)
from rongcheng.ledger.models import Account, AccountKind, JournalKind, Unit
from rongcheng.ledger.services import journal_post, journal_reverse
from rongcheng.ledger.tests.conftest import balances, ledger_size

pytestmark = pytest.mark.django_db

TOPUP = JournalKind.WALLET_TOPUP


def _topup(member, amount, key="k1"):
    return journal_post(
        kind=TOPUP,
        idempotency_key=key,
        reference="topup:1",
        legs=[(chart.gateway_clearing("alipay"), -amount), (chart.member_wallet(member), amount)],
    )


def test_post_writes_entries_with_running_balances(member):
    wallet, clearing = chart.member_wallet(member), chart.gateway_clearing("alipay")
    first = _topup(member, Decimal("100.00"), key="k1")
    second = _topup(member, Decimal("0.50"), key="k2")
    assert balances(wallet, clearing) == [Decimal("100.50"), Decimal("-100.50")]
    assert list(
        first.entries.order_by("id").values_list("account_id", "amount", "balance_after")
    ) == [
        (clearing.pk, Decimal("-100.00"), Decimal("-100.00")),
        (wallet.pk, Decimal("100.00"), Decimal("100.00")),
    ]
    assert list(second.entries.order_by("id").values_list("amount", "balance_after")) == [
        (Decimal("-0.50"), Decimal("-100.50")),
        (Decimal("0.50"), Decimal("100.50")),
    ]
    assert (first.kind, first.reference, first.idempotency_key) == (TOPUP, "topup:1", "k1")


def test_same_key_returns_the_same_journal_and_changes_nothing(member):
    first = _topup(member, Decimal("20.00"))
    again = _topup(member, Decimal("20.00"))
    assert again.pk == first.pk
    assert ledger_size() == (1, 2)
    assert chart.member_wallet(member).balance == Decimal("20.00")


def test_same_key_with_other_legs_is_refused(member):
    _topup(member, Decimal("20.00"))
    with pytest.raises(IdempotencyConflict):
        _topup(member, Decimal("21.00"))
    with pytest.raises(IdempotencyConflict):
        journal_post(
            kind=JournalKind.REFUND,
            idempotency_key="k1",
            reference="topup:1",
            legs=[
                (chart.gateway_clearing("alipay"), Decimal("-20.00")),
                (chart.member_wallet(member), Decimal("20.00")),
            ],
        )
    assert ledger_size() == (1, 2)
    assert chart.member_wallet(member).balance == Decimal("20.00")


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ((Decimal("-10.00"), Decimal("9.99")), "借贷不平"),
        ((Decimal("-0.001"), Decimal("0.001")), "精确到分"),
        ((Decimal("-10.00"), 10.0), "精确到分"),
        ((Decimal("0.00"), Decimal("0.00")), "非零"),
        ((Decimal("-1E+10"), Decimal("1E+10")), "精确到分"),
    ],
)
def test_invalid_legs_are_refused_and_leave_nothing(member, amounts, message):
    wallet, clearing = chart.member_wallet(member), chart.gateway_clearing("alipay")
    with pytest.raises(InvalidPosting, match=message):
        journal_post(
            kind=TOPUP,
            idempotency_key="bad",
            reference="x",
            legs=[(clearing, amounts[0]), (wallet, amounts[1])],
        )
    assert ledger_size() == (0, 0)
    assert balances(wallet, clearing) == [Decimal("0.00"), Decimal("0.00")]


def test_a_single_leg_is_refused(member):
    with pytest.raises(InvalidPosting):
        journal_post(
            kind=TOPUP,
            idempotency_key="one",
            reference="x",
            legs=[(chart.member_wallet(member), Decimal("1.00"))],
        )
    assert ledger_size() == (0, 0)


def test_units_balance_separately(member):
    """Yuan cannot pay for points: each unit must sum to zero on its own."""
    points = Account.objects.create(kind=AccountKind.MEMBER_WALLET, unit=Unit.POINTS, owner=member)
    with pytest.raises(InvalidPosting, match="借贷不平"):
        journal_post(
            kind=TOPUP,
            idempotency_key="mixed",
            reference="x",
            legs=[(chart.gateway_clearing("alipay"), Decimal("-5.00")), (points, Decimal("5.00"))],
        )
    assert ledger_size() == (0, 0)


def test_overdraft_is_refused_and_leaves_nothing(member, shops):
    _topup(member, Decimal("10.00"))
    wallet, receivable = chart.member_wallet(member), chart.store_receivable(shops[0])
    with pytest.raises(InsufficientBalance, match=r"可用 10\.00"):
        journal_post(
            kind=JournalKind.WALLET_PAYMENT,
            idempotency_key="pay",
            reference="checkout:1",
            legs=[(wallet, Decimal("-10.01")), (receivable, Decimal("10.01"))],
        )
    assert ledger_size() == (1, 2)
    assert balances(wallet, receivable) == [Decimal("10.00"), Decimal("0.00")]


def test_reversal_posts_the_opposite_legs_once(member):
    journal = _topup(member, Decimal("30.00"))
    reversal = journal_reverse(journal=journal, idempotency_key="rev", reason="重复入账")
    assert (reversal.kind, reversal.reference, reversal.memo) == (
        JournalKind.REVERSAL,
        "topup:1",
        "重复入账",
    )
    assert reversal.reverses_id == journal.pk
    assert sorted(reversal.entries.values_list("amount", flat=True)) == [
        Decimal("-30.00"),
        Decimal("30.00"),
    ]
    assert balances(chart.member_wallet(member), chart.gateway_clearing("alipay")) == [
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert journal_reverse(journal=journal, idempotency_key="rev", reason="重复入账") == reversal
    with pytest.raises(AlreadyReversed):
        journal_reverse(journal=journal, idempotency_key="rev-2", reason="再冲一次")
    assert ledger_size() == (2, 4)


def test_reversal_that_would_overdraw_is_refused(member, shops):
    topup = _topup(member, Decimal("30.00"))
    journal_post(
        kind=JournalKind.WALLET_PAYMENT,
        idempotency_key="pay",
        reference="checkout:1",
        legs=[
            (chart.member_wallet(member), Decimal("-25.00")),
            (chart.store_receivable(shops[0]), Decimal("25.00")),
        ],
    )
    with pytest.raises(InsufficientBalance):
        journal_reverse(journal=topup, idempotency_key="rev", reason="充值撤销")
    assert ledger_size() == (2, 4)
    assert chart.member_wallet(member).balance == Decimal("5.00")


def test_chart_opens_each_account_once(member, shops):
    assert chart.member_wallet(member) == chart.member_wallet(member)
    assert chart.gateway_clearing("wechat") == chart.gateway_clearing("wechat")
    assert chart.gateway_clearing("wechat") != chart.gateway_clearing("alipay")
    assert chart.store_receivable(shops[0]) != chart.store_receivable(shops[1])
    assert chart.store_cash(shops[0]) != chart.store_receivable(shops[0])
    assert chart.withdrawals_pending() == chart.withdrawals_pending()
    assert chart.platform_revenue() != chart.withdrawals_pending()
    flags = {
        account.kind: account.allow_negative
        for account in [
            chart.member_wallet(member),
            chart.store_receivable(shops[0]),
            chart.store_cash(shops[0]),
            chart.gateway_clearing("wechat"),
            chart.refunds_payable("wechat"),
            chart.withdrawals_pending(),
            chart.platform_revenue(),
        ]
    }
    assert flags == {
        "member_wallet": False,
        "store_receivable": False,
        "store_cash": True,
        "gateway_clearing": True,
        "refunds_payable": False,
        "withdrawals_pending": False,
        "platform_revenue": False,
    }
    assert Account.objects.count() == 9
    with pytest.raises(ValueError):
        chart.gateway_clearing("paypal")
