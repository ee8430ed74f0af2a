"""What a payment pays for: other apps register a handler per purpose, and the payment services
call it inside the transaction that changes the payment, under the payment's row lock.

    purposes.register("checkout", on_paid=..., on_refunded=..., on_late=...)

- on_paid(payment): a pending payment was paid.
- on_late(payment): a payment we had closed was paid after all (the money is taken): the
  handler re-reserves or asks for a refund. Without one, on_paid is called.
- on_refund_requested(payment, refund): a refund was recorded, before the provider is asked
  (once per refund request).
- on_refunded(payment, refund): a refund of the payment succeeded.
- on_refund_failed(payment, refund): the provider refused a requested refund.

Payments never import the apps that pay through them; those apps register at start-up
(in their AppConfig.ready()).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from rongcheng.payments.errors import UnknownPurpose

PaidHandler = Callable[[Any], None]
RefundedHandler = Callable[[Any, Any], None]


@dataclass(frozen=True)
class Purpose:
    name: str
    on_paid: PaidHandler
    on_refunded: RefundedHandler | None = None
    on_late: PaidHandler | None = None
    on_refund_requested: RefundedHandler | None = None
    on_refund_failed: RefundedHandler | None = None


_registry: dict[str, Purpose] = {}


def register(
    name: str,
    *,
    on_paid: PaidHandler,
    on_refunded: RefundedHandler | None = None,
    on_late: PaidHandler | None = None,
    on_refund_requested: RefundedHandler | None = None,
    on_refund_failed: RefundedHandler | None = None,
) -> Purpose:
    purpose = Purpose(
        name=name,
        on_paid=on_paid,
        on_refunded=on_refunded,
        on_late=on_late,
        on_refund_requested=on_refund_requested,
        on_refund_failed=on_refund_failed,
    )
    _registry[name] = purpose
    return purpose


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Purpose:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownPurpose(_("不支持的支付用途：%(name)s") % {"name": name}) from None
