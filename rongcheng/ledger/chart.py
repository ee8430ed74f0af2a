"""The chart of accounts: one function per account kind that finds or opens its account.

Opening is race-safe: the partial unique constraints on Account make a concurrent second insert
fail, and get_or_create then reads the winner's row. Whether a kind may go below zero is decided
here, once, when the account is opened.
"""

from rongcheng.accounts.models import User
from rongcheng.ledger.models import Account, AccountKind, Channel, Unit
from rongcheng.stores.models import Store


def _account(
    kind: AccountKind,
    *,
    owner: User | None = None,
    store: Store | None = None,
    code: str = "",
    unit: Unit = Unit.CNY,
    allow_negative: bool = False,
) -> Account:
    account, _created = Account.objects.get_or_create(
        kind=kind,
        unit=unit,
        owner=owner,
        store=store,
        code=code,
        defaults={"allow_negative": allow_negative},
    )
    return account


def member_wallet(member: User) -> Account:
    """What the platform owes a member in prepaid money (绒易付); never below zero."""
    return _account(AccountKind.MEMBER_WALLET, owner=member)


def store_receivable(store: Store) -> Account:
    """What the platform owes a store for its paid orders; a refund may not exceed it."""
    return _account(AccountKind.STORE_RECEIVABLE, store=store)


def store_cash(store: Store) -> Account:
    """Cash a store took at its counter for the platform (negative: the store holds it)."""
    return _account(AccountKind.STORE_CASH, store=store, allow_negative=True)


def gateway_clearing(channel: str) -> Account:
    """The platform's money at a payment channel (negative: the channel holds it)."""
    return _account(AccountKind.GATEWAY_CLEARING, code=Channel(channel), allow_negative=True)


def refunds_payable(channel: str) -> Account:
    """Refunds accepted and sent to a channel that has not yet confirmed them."""
    return _account(AccountKind.REFUNDS_PAYABLE, code=Channel(channel))


def withdrawals_pending() -> Account:
    """Wallet money members asked to withdraw, until it is paid out or returned."""
    return _account(AccountKind.WITHDRAWALS_PENDING)


def platform_revenue() -> Account:
    """The platform's own income (commissions on store sales, fees)."""
    return _account(AccountKind.PLATFORM_REVENUE)
