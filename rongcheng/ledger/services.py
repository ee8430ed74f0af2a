"""Writes to the ledger. Every movement is one balanced journal posted by journal_post; the
other functions here name the platform's movements so that payments and orders call them
instead of assembling legs themselves.

Lock order: callers lock their own rows first (store → order → payment → stock, withdrawals);
ledger accounts are locked last, in primary-key order, so concurrent postings cannot deadlock.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.core.money import FEN
from rongcheng.ledger import chart
from rongcheng.ledger.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientBalance,
    InvalidPosting,
)
from rongcheng.ledger.models import Account, Entry, Journal, JournalKind
from rongcheng.stores.models import Store

Leg = tuple[Account, Decimal]
# One amount per store order of a checkout, e.g. [(store_a, Decimal("300.00")), …].
StoreParts = Sequence[tuple[Store, Decimal]]
# Largest amount a DecimalField(12, 2) holds.
MAX_AMOUNT = Decimal("9999999999.99")


def exact_amount(amount: Decimal) -> Decimal:
    """The amount itself when it is a finite Decimal exact to the fen (R-1), else refused."""
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or amount != amount.quantize(FEN)
        or abs(amount) > MAX_AMOUNT
    ):
        raise InvalidPosting(_("金额必须是精确到分的数额。"))
    return amount.quantize(FEN)


def positive_amount(amount: Decimal) -> Decimal:
    amount = exact_amount(amount)
    if amount <= 0:
        raise InvalidPosting(_("金额必须大于零。"), field="amount")
    return amount


def _same_legs(journal: Journal, legs: list[tuple[int, Decimal]]) -> bool:
    stored = Counter(journal.entries.values_list("account_id", "amount"))
    return stored == Counter(legs)


def _existing(
    *, kind: str, idempotency_key: str, legs: list[tuple[int, Decimal]]
) -> Journal | None:
    journal = Journal.objects.filter(idempotency_key=idempotency_key).first()
    if journal is None:
        return None
    if journal.kind != kind or not _same_legs(journal, legs):
        raise IdempotencyConflict(_("该幂等键已用于另一笔记账。"))
    return journal


def _lock(account_ids: set[int]) -> dict[int, Account]:
    locked = Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    return {account.pk: account for account in locked}


def _check_balanced(accounts: dict[int, Account], legs: list[tuple[int, Decimal]]) -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for account_id, amount in legs:
        totals[accounts[account_id].unit] += amount
    if any(total != 0 for total in totals.values()):
        raise InvalidPosting(_("借贷不平：每种单位的分录合计必须为零。"))


def journal_post(
    *,
    kind: str,
    idempotency_key: str,
    reference: str,
    legs: Sequence[Leg],
    memo: str = "",
    reverses: Journal | None = None,
) -> Journal:
    """Post one balanced movement and update the accounts' cached balances.

    Refused with nothing written when the legs do not balance per unit, an amount is not exact
    to the fen, or an account that may not go below zero would. Posting a key again returns the
    journal already posted under it, and is refused if its legs differ.
    """
    kind = JournalKind(kind)
    if not idempotency_key:
        raise InvalidPosting(_("记账需要幂等键。"))
    pairs = [(account.pk, exact_amount(amount)) for account, amount in legs]
    if len(pairs) < 2 or any(amount == 0 for _account, amount in pairs):
        raise InvalidPosting(_("一笔记账至少有两条非零分录。"))
    with transaction.atomic():
        journal = _existing(kind=kind, idempotency_key=idempotency_key, legs=pairs)
        if journal is not None:
            return journal
        accounts = _lock({account_id for account_id, _amount in pairs})
        if len(accounts) != len({account_id for account_id, _amount in pairs}):
            raise InvalidPosting(_("分录中有不存在的账户。"))
        _check_balanced(accounts, pairs)
        # A concurrent posting of the same key may have committed while we waited for the locks.
        journal = _existing(kind=kind, idempotency_key=idempotency_key, legs=pairs)
        if journal is not None:
            return journal
        balances = {pk: account.balance for pk, account in accounts.items()}
        entries = []
        for account_id, amount in pairs:
            balances[account_id] += amount
            entries.append((account_id, amount, balances[account_id]))
        short = [
            accounts[pk]
            for pk, balance in balances.items()
            if balance < 0 and not accounts[pk].allow_negative
        ]
        if short:
            raise InsufficientBalance(
                _("余额不足：%(account)s 可用 %(balance)s。")
                % {"account": short[0].get_kind_display(), "balance": short[0].balance}
            )
        try:
            with transaction.atomic():
                journal = Journal.objects.create(
                    kind=kind,
                    idempotency_key=idempotency_key,
                    reference=reference,
                    memo=memo,
                    reverses=reverses,
                )
        except IntegrityError:
            # The same key committed meanwhile by a posting on other accounts, or the journal
            # reversed meanwhile under another key.
            journal = _existing(kind=kind, idempotency_key=idempotency_key, legs=pairs)
            if journal is not None:
                return journal
            if reverses is not None:
                raise AlreadyReversed(_("该凭证已冲正。")) from None
            raise
        Entry.objects.bulk_create(
            Entry(journal=journal, account_id=account_id, amount=amount, balance_after=after)
            for account_id, amount, after in entries
        )
        # The rows are locked, so writing the balance computed from the locked value loses no
        # update; it also keeps SQLite exact, which would add decimals in floating point.
        for account_id, balance in balances.items():
            Account.objects.filter(pk=account_id).update(balance=balance)
        return journal


def journal_reverse(*, journal: Journal, idempotency_key: str, reason: str) -> Journal:
    """Correct a journal by posting its opposite legs (entries are never changed). A journal
    is reversed at most once; the reversal is refused if it would overdraw an account."""
    if Journal.objects.filter(reverses=journal).exclude(idempotency_key=idempotency_key).exists():
        raise AlreadyReversed(_("该凭证已冲正。"))
    legs = [(entry.account, -entry.amount) for entry in journal.entries.select_related("account")]
    return journal_post(
        kind=JournalKind.REVERSAL,
        idempotency_key=idempotency_key,
        reference=journal.reference,
        legs=legs,
        memo=reason,
        reverses=journal,
    )


def _split_to_stores(
    *, kind: str, source: Account, reference: str, amount: Decimal, parts: StoreParts
) -> Journal:
    """`amount` out of `source` into the receivables of the stores whose orders it paid."""
    amount = positive_amount(amount)
    shares = [(chart.store_receivable(store), positive_amount(share)) for store, share in parts]
    if not shares or sum(share for _account, share in shares) != amount:
        raise InvalidPosting(_("各门店订单金额之和必须等于支付金额。"))
    return journal_post(
        kind=kind,
        idempotency_key=f"{kind}:{reference}",
        reference=reference,
        legs=[(source, -amount), *shares],
    )


def post_checkout_payment(
    *, gateway: str, reference: str, amount: Decimal, parts: StoreParts
) -> Journal:
    """A checkout paid through a gateway: its clearing account → what each store order is owed.
    One journal per reference (e.g. "checkout:<number>")."""
    return _split_to_stores(
        kind=JournalKind.CHECKOUT_PAYMENT,
        source=chart.gateway_clearing(gateway),
        reference=reference,
        amount=amount,
        parts=parts,
    )


def post_cash_payment(
    *, store: Store, reference: str, amount: Decimal, parts: StoreParts
) -> Journal:
    """A checkout paid in cash at `store`'s counter: the store holds the cash for the platform."""
    return _split_to_stores(
        kind=JournalKind.CASH_PAYMENT,
        source=chart.store_cash(store),
        reference=reference,
        amount=amount,
        parts=parts,
    )


def post_wallet_payment(
    *, member: User, reference: str, amount: Decimal, parts: StoreParts
) -> Journal:
    """A checkout paid from the member's wallet; refused (InsufficientBalance) beyond its
    balance. Confirm the payment password (wallet.wallet_check_payment_password) first."""
    return _split_to_stores(
        kind=JournalKind.WALLET_PAYMENT,
        source=chart.member_wallet(member),
        reference=reference,
        amount=amount,
        parts=parts,
    )


def post_wallet_topup(*, member: User, gateway: str, reference: str, amount: Decimal) -> Journal:
    """Money paid in through a gateway credited to the member's wallet."""
    amount = positive_amount(amount)
    return journal_post(
        kind=JournalKind.WALLET_TOPUP,
        idempotency_key=f"{JournalKind.WALLET_TOPUP}:{reference}",
        reference=reference,
        legs=[(chart.gateway_clearing(gateway), -amount), (chart.member_wallet(member), amount)],
    )


def post_refund(*, reference: str, parts: StoreParts, to: Account) -> Journal:
    """Take back part or all of what store orders were owed and owe it to the buyer again.

    `to` says how the money goes back: `chart.refunds_payable(gateway)` for a refund sent to a
    gateway (post_refund_settled when it confirms), `chart.member_wallet(member)` for a refund to
    the wallet, `chart.store_cash(store)` for cash handed back at a counter. One journal per
    reference (e.g. "refund:<number>"); a store's part may not exceed what it is owed.
    """
    shares = [(chart.store_receivable(store), positive_amount(share)) for store, share in parts]
    if not shares:
        raise InvalidPosting(_("退款至少包含一个门店订单。"))
    total = sum((share for _account, share in shares), Decimal("0.00"))
    return journal_post(
        kind=JournalKind.REFUND,
        idempotency_key=f"{JournalKind.REFUND}:{reference}",
        reference=reference,
        legs=[*((account, -share) for account, share in shares), (to, total)],
    )


def post_refund_unallocated(*, gateway: str, reference: str, amount: Decimal) -> Journal:
    """Money a gateway payment brought that no store order took (its orders were closed or
    paid already), owed back to the buyer through that gateway; post_refund_settled follows.
    One REFUND journal per reference, like post_refund."""
    amount = positive_amount(amount)
    return journal_post(
        kind=JournalKind.REFUND,
        idempotency_key=f"{JournalKind.REFUND}:{reference}",
        reference=reference,
        legs=[(chart.gateway_clearing(gateway), -amount), (chart.refunds_payable(gateway), amount)],
    )


def post_refund_refused(*, reference: str, reason: str) -> Journal:
    """The channel refused a refund: its REFUND journal (post_refund or
    post_refund_unallocated under `reference`) is reversed, once."""
    journal = Journal.objects.get(idempotency_key=f"{JournalKind.REFUND}:{reference}")
    return journal_reverse(
        journal=journal,
        idempotency_key=f"{JournalKind.REVERSAL}:{journal.idempotency_key}",
        reason=reason,
    )


def post_refund_settled(*, gateway: str, reference: str, amount: Decimal) -> Journal:
    """The gateway confirmed a refund: the money left the platform's clearing account there.
    A refund the gateway refuses is undone with journal_reverse of its REFUND journal."""
    amount = positive_amount(amount)
    return journal_post(
        kind=JournalKind.REFUND_SETTLED,
        idempotency_key=f"{JournalKind.REFUND_SETTLED}:{reference}",
        reference=reference,
        legs=[(chart.refunds_payable(gateway), -amount), (chart.gateway_clearing(gateway), amount)],
    )
