"""The payment lifecycle: one transition table; `transition()` is the only writer of status
(through `core.lifecycle`).

pending ─paid→ paid ─refund→ partially_refunded ─refund→ refunded
   │                 └──────────── refund (all) ──────────↗
   └─closed→ closed ─paid (late)→ paid
A closed payment can still be paid: the provider's money arrived after we gave up on it, and the
purpose's on_late handler decides what happens (see purposes.py).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from rongcheng.core.lifecycle import Lifecycle
from rongcheng.payments.errors import InvalidTransition
from rongcheng.payments.models import (
    EventSource,
    EventType,
    GatewayNotification,
    Payment,
    PaymentEvent,
    PaymentStatus,
)

S = PaymentStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.PAID, S.CLOSED}),
    S.CLOSED: frozenset({S.PAID}),
    S.PAID: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
}


def _refused(payment: Payment, to: str) -> InvalidTransition:
    return InvalidTransition(
        _("支付单 %(no)s 不能从“%(from)s”变为“%(to)s”。")
        % {"no": payment.out_trade_no, "from": S(payment.status).label, "to": S(to).label}
    )


def _stale(payment: Payment) -> InvalidTransition:
    return InvalidTransition(_("支付单 %(no)s 已被修改，请重试。") % {"no": payment.out_trade_no})


LIFECYCLE = Lifecycle(Payment, PaymentEvent, TRANSITIONS, refused=_refused)


def transition(
    payment: Payment,
    *,
    to: str,
    event_type: EventType,
    source: EventSource,
    actor: Any = None,
    provider_txn_id: str = "",
    amount: Decimal | None = None,
    notification: GatewayNotification | None = None,
    paid_at: datetime | None = None,
    refunded_amount: Decimal | None = None,
) -> PaymentEvent:
    """Move `payment` to `to` and append its event, in the caller's transaction.

    Unlike orders and withdrawals, the step does not lock the row itself: every caller already
    holds the payment's lock (the notification, query and refund paths take it before they
    read the payment; the counter has just created it), so a conditional UPDATE on the status
    read is enough and spares the notification path a second read. A stale `payment` fails
    instead of overwriting a concurrent change.
    """
    changes: dict[str, Any] = {}
    if event_type == EventType.PAID:
        changes["provider_trade_no"] = provider_txn_id
        changes["paid_at"] = paid_at
    if refunded_amount is not None:
        changes["refunded_amount"] = refunded_amount

    def event(before: Payment) -> PaymentEvent:
        return PaymentEvent(
            payment=before,
            event_type=event_type,
            from_status=before.status,
            to_status=to,
            provider=before.provider,
            provider_txn_id=provider_txn_id,
            amount=amount,
            source=source,
            actor=actor,
            notification=notification,
        )

    step = LIFECYCLE.move_if_unchanged(payment, to=to, event=event, stale=_stale, changes=changes)
    return step.event
