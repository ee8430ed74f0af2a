"""The payment lifecycle: one transition table; `transition()` is the only writer of status.

pending ─paid→ paid ─refund→ partially_refunded ─refund→ refunded
   │                 └──────────── refund (all) ──────────↗
   └─closed→ closed ─paid (late)→ paid
A closed payment can still be paid: the provider's money arrived after we gave up on it, and the
purpose's on_late handler decides what happens (see purposes.py).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

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


def can_transition(from_status: str, to: str) -> bool:
    return to in TRANSITIONS[from_status]


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

    A conditional UPDATE (WHERE status = the status read) makes a stale `payment` fail instead
    of overwriting a concurrent change; callers normally hold the payment's row lock already.
    """
    from_status = payment.status
    if not can_transition(from_status, to):
        raise InvalidTransition(
            _("支付单 %(no)s 不能从“%(from)s”变为“%(to)s”。")
            % {"no": payment.out_trade_no, "from": S(from_status).label, "to": S(to).label}
        )
    changes: dict[str, Any] = {"status": to}
    if event_type == EventType.PAID:
        changes["provider_trade_no"] = provider_txn_id
        changes["paid_at"] = paid_at
    if refunded_amount is not None:
        changes["refunded_amount"] = refunded_amount
    with transaction.atomic():
        updated = Payment.objects.filter(pk=payment.pk, status=from_status).update(**changes)
        if not updated:
            raise InvalidTransition(
                _("支付单 %(no)s 已被修改，请重试。") % {"no": payment.out_trade_no}
            )
        for field, value in changes.items():
            setattr(payment, field, value)
        return PaymentEvent.objects.create(
            payment=payment,
            event_type=event_type,
            from_status=from_status,
            to_status=to,
            provider=payment.provider,
            provider_txn_id=provider_txn_id,
            amount=amount,
            source=source,
            actor=actor,
            notification=notification,
        )
