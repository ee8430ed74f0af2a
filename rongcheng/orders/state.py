"""The order lifecycle (FUL-1): the one place an order's status is written.

`transition` moves one order under its row lock; `transition_many` moves a set of orders with
one conditional UPDATE (the periodic jobs). Both append an OrderEvent per order in the same
transaction and stamp the time of the step.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.orders.errors import TransitionNotAllowed
from rongcheng.orders.models import Order, OrderEvent

S = Order.Status

# The after-sale states (return requested, returning, refunded …) join this table with the
# returns issue; a state with no way out is final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.CANCELLED, S.CLOSED}),
    S.PAID: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    # A payment that arrives after the close pays the order if its stock can be held again.
    S.CLOSED: frozenset({S.PAID}),
}

STAMPS: dict[str, str] = {
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.RECEIVED: "received_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
    S.CLOSED: "closed_at",
}


def can_transition(from_status: str, to: str) -> bool:
    return to in TRANSITIONS.get(from_status, frozenset())


def sources_of(to: str) -> list[str]:
    """The states from which an order may move to `to`."""
    return sorted(status for status, targets in TRANSITIONS.items() if to in targets)


def _refuse(order: Order, to: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("订单 %(number)s 当前为“%(state)s”，不能变为“%(to)s”。")
        % {"number": order.number, "state": order.get_status_display(), "to": S(to).label}
    )


def transition(
    order: Order,
    *,
    to: str,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
    expect: Iterable[str] | None = None,
) -> Order:
    """Lock the order, check the step (and that it is in one of `expect`, when given), save it
    and log it. Returns the order as saved; `order` itself is refreshed too."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        allowed = expect is None or locked.status in set(expect)
        if not (allowed and can_transition(locked.status, to)):
            raise _refuse(locked, to)
        from_status = locked.status
        locked.status = to
        fields = ["status", "updated_at"]
        if to in STAMPS:
            setattr(locked, STAMPS[to], now)
            fields.append(STAMPS[to])
        locked.save(update_fields=fields)
        OrderEvent.objects.create(
            order=locked,
            from_status=from_status,
            to_status=to,
            actor=actor,
            reason=reason,
            created_at=now,
        )
    order.refresh_from_db()
    return locked


def transition_many(
    *,
    order_ids: Sequence[int],
    to: str,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
    expect: Iterable[str] | None = None,
) -> list[int]:
    """Move every order of `order_ids` that may take the step; returns the ids moved (sorted).

    Orders in any other state are left as they are, so a job can run again at any time.
    """
    now = now or timezone.now()
    sources = sources_of(to) if expect is None else [s for s in expect if can_transition(s, to)]
    with transaction.atomic():
        rows = list(
            Order.objects.select_for_update()
            .filter(id__in=list(order_ids), status__in=sources)
            .order_by("id")
            .values_list("id", "status")
        )
        ids = [order_id for order_id, _status in rows]
        changes = {"status": to, "updated_at": now}
        if to in STAMPS:
            changes[STAMPS[to]] = now
        Order.objects.filter(id__in=ids).update(**changes)
        OrderEvent.objects.bulk_create(
            OrderEvent(
                order_id=order_id,
                from_status=status,
                to_status=to,
                actor=actor,
                reason=reason,
                created_at=now,
            )
            for order_id, status in rows
        )
    return ids


def record_placed(*, orders: Iterable[Order], actor: User | None, now: datetime) -> None:
    """The first event of new orders (they are created awaiting payment)."""
    OrderEvent.objects.bulk_create(
        OrderEvent(order=order, to_status=order.status, actor=actor, created_at=now)
        for order in orders
    )
