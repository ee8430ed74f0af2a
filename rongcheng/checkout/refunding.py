"""The ledger side of gateway refunds of a checkout: the "checkout" purpose's refund handlers.

They run inside the payment service's transactions, under the payment's row lock (locks:
payment → refund → ledger accounts), so a refund and its journal are written together.

- requested: the money is owed back through the payment's channel (`refunds_payable`; for
  cash, handed back from the store's cash at its counter), taken
  from what the store order it gives back was owed (`refund.reference`, an order number), or,
  for money no order took, straight from the channel's clearing account;
- refunded: the channel confirmed, the money left its clearing account;
- failed: the channel refused, the request's journal is reversed.

Each journal is keyed by the refund's request id, so a repeated request posts nothing new.
"""

from django.utils.translation import gettext as _

from rongcheng.ledger import chart
from rongcheng.ledger.services import (
    post_refund,
    post_refund_refused,
    post_refund_settled,
    post_refund_unallocated,
)
from rongcheng.orders.models import Order
from rongcheng.payments.models import Payment, Provider, Refund


def checkout_refund_requested(payment: Payment, refund: Refund) -> None:
    if not refund.reference:
        post_refund_unallocated(
            gateway=payment.provider, reference=refund.request_id, amount=refund.amount
        )
        return
    order = Order.objects.select_related("store").get(
        checkout__number=payment.reference, number=refund.reference
    )
    cash = payment.provider == Provider.CASH
    post_refund(
        reference=refund.request_id,
        parts=[(order.store, refund.amount)],
        to=chart.store_cash(order.store) if cash else chart.refunds_payable(payment.provider),
    )


def checkout_refunded(payment: Payment, refund: Refund) -> None:
    if payment.provider == Provider.CASH:
        return  # handed back at the counter: the REFUND journal to the store's cash says it all
    post_refund_settled(gateway=payment.provider, reference=refund.request_id, amount=refund.amount)


def checkout_refund_failed(payment: Payment, refund: Refund) -> None:
    post_refund_refused(
        reference=refund.request_id,
        reason=_("支付渠道拒绝退款：%(error)s") % {"error": refund.error or "-"},
    )
