"""The order lifecycle (FUL-1): the one place an order's status is written.

The table, the time stamp of each step and the OrderEvent it appends; `core.lifecycle` takes
the steps. `transition` moves one order under its row lock; `transition_many` moves a set of
orders with one UPDATE (the periodic jobs).
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.core.lifecycle import Lifecycle
from rongcheng.core.sql import insert
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


def _refused(order: Order, to: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("订单 %(number)s 当前为“%(state)s”，不能变为“%(to)s”。")
        % {"number": order.number, "state": order.get_status_display(), "to": S(to).label}
    )


LIFECYCLE = Lifecycle(Order, OrderEvent, TRANSITIONS, refused=_refused)


def _step(
    to: str, actor: User | None, reason: str, now: datetime
) -> tuple[dict[str, datetime], Callable[[Order], OrderEvent]]:
    """The step's time stamp and its event, alike for one order and for a set."""
    stamps = {STAMPS[to]: now} if to in STAMPS else {}

    def event(order: Order) -> OrderEvent:
        return OrderEvent(
            order=order,
            from_status=order.status,
            to_status=to,
            actor=actor,
            reason=reason,
            created_at=now,
        )

    return stamps, event


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
    and log it. Returns the order as saved; `order` itself is brought up to date too."""
    stamps, event = _step(to, actor, reason, now or timezone.now())
    return LIFECYCLE.move(order, to=to, event=event, changes=stamps, expect=expect).row


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
    stamps, event = _step(to, actor, reason, now or timezone.now())
    return LIFECYCLE.move_many(order_ids, to=to, event=event, changes=stamps, expect=expect)


def record_placed(*, orders: Iterable[Order], actor: User | None, now: datetime) -> None:
    """The first event of new orders (they are created awaiting payment): one INSERT, written
    like the orders themselves (core.sql.insert), since every order placed pays for it."""
    insert(
        [
            OrderEvent(order=order, to_status=order.status, actor=actor, created_at=now)
            for order in orders
        ]
    )
