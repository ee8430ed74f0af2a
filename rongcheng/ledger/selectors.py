"""Reads of the ledger: balances, statements with their running balance, and the checks of
ledger_reconcile."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import is_password_usable
from django.core.paginator import Page, Paginator
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from rongcheng.accounts.models import User
from rongcheng.core.money import ZERO, to_yuan
from rongcheng.ledger.models import (
    Account,
    AccountKind,
    Entry,
    PaymentPassword,
    Reconciliation,
    Unit,
    Withdrawal,
)

STATEMENT_PAGE_SIZE = 20


def wallet_balance(*, member: User) -> Decimal:
    """The member's wallet balance (zero before the first top-up)."""
    balance = (
        Account.objects.filter(kind=AccountKind.MEMBER_WALLET, unit=Unit.CNY, owner=member)
        .values_list("balance", flat=True)
        .first()
    )
    return ZERO if balance is None else balance


def wallet_has_payment_password(*, member: User) -> bool:
    """Whether the member has set a payment password (a locked one still counts as set)."""
    hashes = PaymentPassword.objects.filter(user=member).values_list("password_hash", flat=True)
    return any(is_password_usable(password_hash) for password_hash in hashes)


def account_statement(
    *, account_id: int, page: int = 1, per_page: int = STATEMENT_PAGE_SIZE
) -> Page:
    """An account's entries, newest first, each with its journal and the balance after it."""
    entries = Entry.objects.filter(account_id=account_id).select_related("journal").order_by("-id")
    return Paginator(entries, per_page).get_page(page)


def wallet_statement(*, member: User, page: int = 1, per_page: int = STATEMENT_PAGE_SIZE) -> Page:
    """The member's wallet statement (empty before the first top-up)."""
    account_id = (
        Account.objects.filter(kind=AccountKind.MEMBER_WALLET, unit=Unit.CNY, owner=member)
        .values_list("pk", flat=True)
        .first()
    )
    return account_statement(account_id=account_id or 0, page=page, per_page=per_page)


def member_withdrawals(*, member: User, page: int = 1, per_page: int = STATEMENT_PAGE_SIZE) -> Page:
    return Paginator(
        Withdrawal.objects.filter(member=member).order_by("-created_at", "-id"), per_page
    ).get_page(page)


@dataclass(frozen=True)
class BalanceDifference:
    account_id: int
    kind: str
    stored: Decimal
    derived: Decimal


@dataclass(frozen=True)
class UnbalancedJournal:
    journal_id: int
    unit: str
    total: Decimal


def balance_differences() -> list[BalanceDifference]:
    """Accounts whose cached balance is not the sum of their entries (one GROUP BY query)."""
    # Rounded to the fen: SQLite sums decimals as floating point.
    derived = Coalesce(
        Round(Sum("entries__amount"), 2),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    rows = (
        Account.objects.annotate(derived=derived)
        .exclude(balance=F("derived"))
        .order_by("pk")
        .values_list("pk", "kind", "balance", "derived")
    )
    return [
        BalanceDifference(pk, kind, stored, to_yuan(derived)) for pk, kind, stored, derived in rows
    ]


def unbalanced_journals() -> list[UnbalancedJournal]:
    """Journals whose entries do not sum to zero in some unit."""
    rows = (
        Entry.objects.values("journal_id", "account__unit")
        .annotate(total=Round(Sum("amount"), 2))
        .exclude(total=0)
        .order_by("journal_id", "account__unit")
        .values_list("journal_id", "account__unit", "total")
    )
    return [UnbalancedJournal(pk, unit, to_yuan(total)) for pk, unit, total in rows]


def latest_reconciliation() -> Reconciliation | None:
    return Reconciliation.objects.order_by("-ran_at", "-id").first()


def wallet_export(user: User) -> dict:
    """The member's wallet for their data export (PIPL art. 45): balance, every movement and
    every withdrawal with its payee."""
    entries = (
        Entry.objects.filter(account__kind=AccountKind.MEMBER_WALLET, account__owner=user)
        .select_related("journal")
        .order_by("id")
    )
    return {
        "balance": str(wallet_balance(member=user)),
        "statement": [
            {
                "time": timezone.localtime(entry.journal.created_at).isoformat(),
                "kind": entry.journal.kind,
                "reference": entry.journal.reference,
                "amount": str(entry.amount),
                "balance_after": str(entry.balance_after),
            }
            for entry in entries
        ],
        "withdrawals": [
            {
                "number": withdrawal.number,
                "time": timezone.localtime(withdrawal.created_at).isoformat(),
                "amount": str(withdrawal.amount),
                "channel": withdrawal.channel,
                "payee_name": withdrawal.payee_name,
                "payee_account": withdrawal.payee_account,
                "status": withdrawal.status,
            }
            for withdrawal in Withdrawal.objects.filter(member=user).order_by("id")
        ],
    }
