"""The hook through which an accepted cancellation asks payments for its refund.

`RONGCHENG["ORDER_REFUND_HANDLER"]` names a function taking a `RefundDue`; the payments app's
refund service fills it. It is called once the cancellation has committed, so it must record
the refund (idempotent by `key`) before any call to a provider. Without a handler no
cancellation of a paid order can be accepted: an order is never cancelled without its refund.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class RefundDue:
    key: str  # idempotency key of the refund request
    checkout_number: str
    order_number: str
    amount: Decimal  # yuan, the order's whole total
    reason: str


def _handler() -> Callable[[RefundDue], None]:
    path = settings.RONGCHENG["ORDER_REFUND_HANDLER"]
    if not path:
        raise ImproperlyConfigured("ORDER_REFUND_HANDLER is not set: no refund service")
    return import_string(path)


def refund_after_commit(due: RefundDue) -> None:
    handler = _handler()
    transaction.on_commit(lambda: handler(due))
