"""Cash at a store's counter (FUL-1, the basis of SELL-2): a clerk finds a buyer's unpaid
checkout whose orders the store ships (by an order number or the buyer's mobile), sees its
goods and amount, and records the cash received.

The cash becomes a payment of the "checkout" purpose settled by the same handler as a gateway
payment (`paying.checkout_paid`: the same order events, the store's notice and badge), posting
`post_cash_payment` (the store's cash → the store order's receivable). Another store's checkout
is not found; an amount other than the one due, or a checkout paid meanwhile, writes nothing.
Locks: the checkout's orders and the checkout first (a second clerk waits, then finds it paid),
then the new payment's handler (payment → order → checkout → stock → ledger).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.checkout.errors import CheckoutNotPayable, CounterAmountMismatch, CounterNotFound
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import PURPOSE
from rongcheng.core.money import from_fen, to_fen
from rongcheng.orders.models import Order, OrderLine
from rongcheng.payments.models import Payment
from rongcheng.payments.services import payment_record_cash
from rongcheng.stores.access import access_store
from rongcheng.stores.models import Store, StoreMembership

# Who takes money at a store's counter.
CASH_ROLES = (StoreMembership.Role.MANAGER, StoreMembership.Role.CLERK)
MOBILE = re.compile(r"1\d{10}")
MAX_FOUND = 10

S = Order.Status


@dataclass(frozen=True)
class CounterCheckout:
    """An unpaid checkout the store may take cash for: its orders (with their lines) and the
    amount due."""

    checkout: Checkout
    orders: list[Order]
    due: Decimal


def counter_checkouts(*, actor: User, store_id: int, query: str) -> list[CounterCheckout]:
    """The unpaid checkouts, all of whose orders `store` ships, with an order numbered `query`
    or a buyer whose mobile is `query`; newest first."""
    store = access_store(user=actor, store_id=store_id, roles=CASH_ROLES)
    query = query.strip()
    if not query:
        return []
    if MOBILE.fullmatch(query):
        checkouts = Checkout.objects.filter(buyer__mobile=query)
    else:
        checkouts = Checkout.objects.filter(orders__number=query)
    checkouts = (
        checkouts.filter(paid_at__isnull=True, orders__status=S.AWAITING_PAYMENT)
        .exclude(orders__in=Order.objects.exclude(store=store))
        .distinct()
        .select_related("buyer")
        .prefetch_related(
            Prefetch(
                "orders",
                queryset=Order.objects.order_by("id").prefetch_related(
                    Prefetch("lines", queryset=OrderLine.objects.order_by("id"))
                ),
            )
        )
        .order_by("-created_at", "-id")[:MAX_FOUND]
    )
    return [_counter_checkout(checkout) for checkout in checkouts]


def _counter_checkout(checkout: Checkout) -> CounterCheckout:
    orders = list(checkout.orders.all())
    due = sum((o.total for o in orders if o.status == S.AWAITING_PAYMENT), Decimal("0.00"))
    return CounterCheckout(checkout=checkout, orders=orders, due=due)


def checkout_pay_cash(
    *, actor: User, store_id: int, checkout_number: str, amount: Decimal
) -> Payment:
    """Record `amount` in cash received at the store's counter for the checkout."""
    store = access_store(user=actor, store_id=store_id, roles=CASH_ROLES)
    with transaction.atomic(durable=True):
        checkout, orders = _locked(store, checkout_number)
        due_fen = sum(to_fen(order.total) for order in orders if order.status == S.AWAITING_PAYMENT)
        if checkout.paid_at is not None or due_fen <= 0:
            raise CheckoutNotPayable(_("该结算单已付款或已关闭，无需收款。"))
        if to_fen(amount) != due_fen:
            raise CounterAmountMismatch(
                _("收款金额 ¥%(amount)s 与应收 ¥%(due)s 不符，请核对后重新收款。")
                % {"amount": amount, "due": from_fen(due_fen)}
            )
        return payment_record_cash(
            purpose=PURPOSE,
            reference=checkout.number,
            buyer=checkout.buyer,
            subject=_("绒城购订单 %(number)s（%(store)s 门店现金）")
            % {"number": checkout.number, "store": store.name},
            amount=from_fen(due_fen),
            actor=actor,
        )


def _locked(store: Store, checkout_number: str) -> tuple[Checkout, list[Order]]:
    """The checkout and its orders, locked, if every order is the store's."""
    orders = list(
        Order.objects.select_for_update().filter(checkout__number=checkout_number).order_by("id")
    )
    if not orders or any(order.store_id != store.pk for order in orders):
        raise CounterNotFound(_("本店没有这个待付款的结算单。"))
    return Checkout.objects.select_for_update().get(number=checkout_number), orders
