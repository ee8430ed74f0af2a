"""Orders as buyers (ORD-2, ORD-4) and stores (FUL-8) look them up."""

import datetime
from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.orders.errors import OrderNotFound
from rongcheng.orders.models import CancellationRequest, Order, OrderEvent
from rongcheng.orders.services import ORDER_ROLES
from rongcheng.stores.access import access_store

S = Order.Status


def _refunding() -> Exists:
    """A cancellation (later: a return) under way."""
    return Exists(
        CancellationRequest.objects.filter(
            order=OuterRef("pk"), status=CancellationRequest.Status.PENDING
        )
    )


# The buyer center's tabs.
BUYER_TABS: Mapping[str, Q | None] = {
    "all": None,
    "awaiting_payment": Q(status=S.AWAITING_PAYMENT),
    "awaiting_shipment": Q(status=S.PAID),
    "shipped": Q(status=S.SHIPPED),
    "awaiting_review": Q(status=S.RECEIVED),
    "refunding": Q(refunding=True),
    "closed": Q(status__in=[S.CANCELLED, S.CLOSED]),
}


def buyer_orders(*, buyer: User, tab: str = "all") -> QuerySet[Order]:
    """The buyer's orders under one tab, newest first, with their lines (paginate the result)."""
    if tab not in BUYER_TABS:
        raise OrderNotFound(_("没有这个订单分类。"))
    orders = Order.objects.filter(buyer=buyer).annotate(refunding=_refunding())
    condition = BUYER_TABS[tab]
    if condition is not None:
        orders = orders.filter(condition)
    return (
        orders.select_related("store", "checkout")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def _detail(orders: QuerySet[Order], number: str) -> Order:
    order = (
        orders.filter(number=number)
        .annotate(refunding=_refunding())
        .select_related("store", "province", "city", "district", "checkout")
        .prefetch_related(
            "lines",
            Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
            "cancellation_requests",
        )
        .first()
    )
    if order is None:
        raise OrderNotFound(_("没有这个订单。"))
    return order


def buyer_order_detail(*, buyer: User, number: str) -> Order:
    """One of the buyer's orders with its lines, timeline of events and cancellation requests."""
    return _detail(Order.objects.filter(buyer=buyer), number)


def three_months_ago(today: datetime.date) -> datetime.datetime:
    """The start (Asia/Shanghai midnight) of the same day three months back, the FUL-8 split;
    a day the month does not have falls back to its last day (31 May → 28/29 February)."""
    month = today.month - 3
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = today.day
    while True:
        try:
            start = datetime.date(year, month, day)
            break
        except ValueError:
            day -= 1
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


# The seller center's order states (FUL-8); "recent" and "older" split at three months.
STORE_STATES = (
    "recent",
    "awaiting_payment",
    "awaiting_shipment",
    "shipped",
    "refunding",
    "awaiting_review",
    "successful",
    "closed",
    "older",
)


def store_orders(
    *, actor: User, store_id: int, state: str = "recent", today: datetime.date | None = None
) -> QuerySet[Order]:
    """A store's orders in one FUL-8 state, newest first; only for the store's own staff."""
    store = access_store(user=actor, store_id=store_id, roles=ORDER_ROLES)
    if state not in STORE_STATES:
        raise OrderNotFound(_("没有这个订单分类。"))
    cutoff = three_months_ago(today or timezone.localdate())
    by_state: Mapping[str, Q] = {
        "recent": Q(created_at__gte=cutoff),
        "older": Q(created_at__lt=cutoff),
        "awaiting_payment": Q(status=S.AWAITING_PAYMENT),
        "awaiting_shipment": Q(status=S.PAID),
        "shipped": Q(status=S.SHIPPED),
        "refunding": Q(refunding=True),
        "awaiting_review": Q(status=S.RECEIVED),
        "successful": Q(status=S.COMPLETED),
        "closed": Q(status__in=[S.CANCELLED, S.CLOSED]),
    }
    return (
        Order.objects.filter(store=store)
        .annotate(refunding=_refunding())
        .filter(by_state[state])
        .select_related("buyer")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def store_order_detail(*, actor: User, store_id: int, number: str) -> Order:
    """One of the store's orders; another store's order is not found."""
    store = access_store(user=actor, store_id=store_id, roles=ORDER_ROLES)
    return _detail(Order.objects.filter(store=store), number)
