"""What PostgreSQL itself guarantees about the ledger, and postings racing on real connections."""

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from rongcheng.core.testing.factories import UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.errors import InsufficientBalance
from rongcheng.ledger.models import Account, Entry, Journal, JournalKind
from rongcheng.ledger.services import journal_post, post_wallet_payment, post_wallet_topup
from rongcheng.ledger.tests.conftest import ledger_size

pytestmark = pytest.mark.postgres

D = Decimal


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def topped_up(member):
    return post_wallet_topup(
        member=member, gateway="alipay", reference="topup:T1", amount=D("100.00")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entry SET amount = amount * 2",
        "UPDATE ledger_entry SET balance_after = 0",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_journal SET reference = 'changed'",
        "DELETE FROM ledger_journal",
        "UPDATE ledger_account SET kind = 'platform_revenue'",
        "UPDATE ledger_account SET owner_id = NULL, code = 'x'",
        "DELETE FROM ledger_account",
    ],
)
def test_the_database_refuses_to_rewrite_history(topped_up, statement):
    with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
        _sql(statement)
    assert ledger_size() == (1, 2)
    assert sorted(Entry.objects.values_list("amount", flat=True)) == [D("-100.00"), D("100.00")]
    assert Journal.objects.get().reference == "topup:T1"


@pytest.mark.django_db
def test_cached_balances_may_still_change(topped_up, member):
    """The reconciliation's planted difference: only an account's identity is read-only."""
    _sql("UPDATE ledger_account SET balance = 1 WHERE owner_id = %s", [member.pk])
    assert chart.member_wallet(member).balance == D("1.00")


@pytest.mark.django_db
def test_an_unbalanced_entry_is_refused_when_checked(topped_up, member):
    wallet = chart.member_wallet(member)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        _sql(
            "INSERT INTO ledger_entry (journal_id, account_id, amount, balance_after) "
            "VALUES (%s, %s, 5, 105)",
            [topped_up.pk, wallet.pk],
        )
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert ledger_size() == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_an_unbalanced_journal_cannot_commit(member, shops):
    wallet, clearing = chart.member_wallet(member), chart.gateway_clearing("alipay")
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        journal = Journal.objects.create(
            kind=JournalKind.WALLET_TOPUP, idempotency_key="raw", reference="raw"
        )
        Entry.objects.create(
            journal=journal, account=clearing, amount=D("-10.00"), balance_after=D("-10.00")
        )
        Entry.objects.create(
            journal=journal, account=wallet, amount=D("9.99"), balance_after=D("9.99")
        )
    assert ledger_size() == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_balanced_journal_with_several_entries_commits(member, shops):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("50.00"))
    post_wallet_payment(
        member=member,
        reference="checkout:C1",
        amount=D("50.00"),
        parts=[(shops[0], D("20.00")), (shops[1], D("30.00"))],
    )
    assert ledger_size() == (2, 5)


def _race(count: int, work) -> list[str]:
    """Run work(i) in `count` threads released together; each answers a word."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run(index):
        barrier.wait()
        try:
            outcomes.append(work(index))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_from_one_wallet_never_overdraw(member, shops):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("100.00"))

    def pay(index):
        try:
            post_wallet_payment(
                member=member,
                reference=f"checkout:C{index}",
                amount=D("10.00"),
                parts=[(shops[index % 2], D("10.00"))],
            )
        except InsufficientBalance:
            return "refused"
        return "paid"

    assert sorted(_race(16, pay)) == ["paid"] * 10 + ["refused"] * 6
    assert chart.member_wallet(member).balance == D("0.00")
    receivables = [chart.store_receivable(store).balance for store in shops]
    assert sum(receivables) == D("100.00")
    call_command("ledger_reconcile")


@pytest.mark.django_db(transaction=True)
def test_concurrent_top_ups_and_payments_lose_no_update(member, shops):
    post_wallet_topup(member=member, gateway="wechat", reference="topup:T0", amount=D("30.00"))

    def move(index):
        try:
            if index % 2:
                post_wallet_topup(
                    member=member, gateway="wechat", reference=f"topup:T{index}", amount=D("7.00")
                )
                return "topup"
            post_wallet_payment(
                member=member,
                reference=f"checkout:C{index}",
                amount=D("12.00"),
                parts=[(shops[0], D("12.00"))],
            )
        except InsufficientBalance:
            return "refused"
        return "paid"

    outcomes = _race(16, move)
    paid = outcomes.count("paid")
    assert outcomes.count("topup") == 8
    assert chart.member_wallet(member).balance == D("30.00") + 8 * D("7.00") - paid * D("12.00")
    assert chart.member_wallet(member).balance >= 0
    assert chart.store_receivable(shops[0]).balance == paid * D("12.00")
    assert Journal.objects.count() == 1 + 8 + paid
    call_command("ledger_reconcile")


@pytest.mark.django_db(transaction=True)
def test_one_key_posted_concurrently_makes_one_journal(member):
    wallet, clearing = chart.member_wallet(member), chart.gateway_clearing("unionpay")

    def post(_index):
        journal = journal_post(
            kind=JournalKind.WALLET_TOPUP,
            idempotency_key="notify:U1",
            reference="topup:U1",
            legs=[(clearing, D("-88.00")), (wallet, D("88.00"))],
        )
        return str(journal.pk)

    outcomes = _race(8, post)
    assert len(set(outcomes)) == 1
    assert ledger_size() == (1, 2)
    assert chart.member_wallet(member).balance == D("88.00")


@pytest.mark.django_db(transaction=True)
def test_an_account_is_opened_once_under_concurrency(db):
    member = UserFactory()
    outcomes = _race(8, lambda _index: str(chart.member_wallet(member).pk))
    assert len(set(outcomes)) == 1
    assert Account.objects.filter(owner=member).count() == 1
