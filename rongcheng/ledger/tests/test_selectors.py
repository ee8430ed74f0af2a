from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from rongcheng.accounts.privacy import user_export_data
from rongcheng.ledger import chart
from rongcheng.ledger.models import Account, Entry, JournalKind
from rongcheng.ledger.selectors import (
    account_statement,
    balance_differences,
    member_withdrawals,
    unbalanced_journals,
    wallet_balance,
    wallet_statement,
)
from rongcheng.ledger.services import post_refund, post_wallet_payment, post_wallet_topup
from rongcheng.ledger.wallet import withdrawal_request

pytestmark = pytest.mark.django_db

D = Decimal


def test_wallet_balance_and_statement_before_the_first_top_up(member):
    assert wallet_balance(member=member) == D("0.00")
    assert list(wallet_statement(member=member)) == []
    assert not Account.objects.exists()


def test_wallet_statement_pages_newest_first_with_running_balance(member, shops):
    for number in range(1, 4):
        post_wallet_topup(
            member=member, gateway="alipay", reference=f"topup:T{number}", amount=D("100.00")
        )
    post_wallet_payment(
        member=member, reference="checkout:C1", amount=D("80.00"), parts=[(shops[0], D("80.00"))]
    )
    post_refund(
        reference="refund:R1", parts=[(shops[0], D("30.00"))], to=chart.member_wallet(member)
    )
    assert wallet_balance(member=member) == D("250.00")
    first = wallet_statement(member=member, per_page=2)
    assert [(e.journal.kind, e.journal.reference, e.amount, e.balance_after) for e in first] == [
        (JournalKind.REFUND, "refund:R1", D("30.00"), D("250.00")),
        (JournalKind.WALLET_PAYMENT, "checkout:C1", D("-80.00"), D("220.00")),
    ]
    assert first.paginator.count == 5
    last = wallet_statement(member=member, page=3, per_page=2)
    assert [(e.amount, e.balance_after) for e in last] == [(D("100.00"), D("100.00"))]


def test_account_statement_for_operations(member, shops):
    post_wallet_payment_setup = post_wallet_topup(
        member=member, gateway="wechat", reference="topup:T1", amount=D("60.00")
    )
    post_wallet_payment(
        member=member, reference="checkout:C1", amount=D("60.00"), parts=[(shops[1], D("60.00"))]
    )
    page = account_statement(account_id=chart.gateway_clearing("wechat").pk)
    assert [(e.journal_id, e.amount, e.balance_after) for e in page] == [
        (post_wallet_payment_setup.pk, D("-60.00"), D("-60.00"))
    ]
    page = account_statement(account_id=chart.store_receivable(shops[1]).pk)
    assert [(e.journal.reference, e.balance_after) for e in page] == [("checkout:C1", D("60.00"))]


def test_member_withdrawals_are_their_own(member):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("10.00"))
    withdrawal = withdrawal_request(
        member=member, amount=D("4.00"), channel="alipay", payee_name="张三", payee_account="a@b.cn"
    )
    assert list(member_withdrawals(member=member)) == [withdrawal]


def test_reconcile_agrees_on_a_sound_ledger(member, capsys):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("10.00"))
    call_command("ledger_reconcile")
    assert "agree" in capsys.readouterr().out
    assert balance_differences() == []
    assert unbalanced_journals() == []


def test_reconcile_finds_a_planted_balance_difference(member, capsys):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("10.00"))
    wallet = chart.member_wallet(member)
    Account.objects.filter(pk=wallet.pk).update(balance=D("15.00"))
    with pytest.raises(CommandError, match=r"1 balance difference\(s\), 0 unbalanced"):
        call_command("ledger_reconcile")
    assert f"account {wallet.pk} (member_wallet): balance 15.00, entries sum to 10.00" in (
        capsys.readouterr().err
    )


def test_reconcile_finds_an_unbalanced_journal(member, capsys):
    """On SQLite nothing but journal_post stops a stray entry; reconcile finds it."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the stray entry itself (test_postgres.py)")
    journal = post_wallet_topup(
        member=member, gateway="alipay", reference="topup:T1", amount=D("10.00")
    )
    wallet = chart.member_wallet(member)
    Entry.objects.create(journal=journal, account=wallet, amount=D("1.00"), balance_after=D("11"))
    Account.objects.filter(pk=wallet.pk).update(balance=D("11.00"))
    with pytest.raises(CommandError, match=r"0 balance difference\(s\), 1 unbalanced"):
        call_command("ledger_reconcile")
    assert f"journal {journal.pk}: cny entries sum to 1.00" in capsys.readouterr().err


def test_the_wallet_is_in_the_members_data_export(member):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("10.00"))
    withdrawal = withdrawal_request(
        member=member, amount=D("4.00"), channel="alipay", payee_name="张三", payee_account="a@b.cn"
    )
    wallet = user_export_data(user=member)["wallet"]
    assert wallet["balance"] == "6.00"
    assert [(row["kind"], row["amount"], row["balance_after"]) for row in wallet["statement"]] == [
        ("wallet_topup", "10.00", "10.00"),
        ("withdrawal_request", "-4.00", "6.00"),
    ]
    assert wallet["withdrawals"] == [
        {
            "number": withdrawal.number,
            "time": timezone.localtime(withdrawal.created_at).isoformat(),
            "amount": "4.00",
            "channel": "alipay",
            "payee_name": "张三",
            "payee_account": "a@b.cn",
            "status": "requested",
        }
    ]
