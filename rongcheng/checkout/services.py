"""Placing a checkout (one order per shipping store) and marking it paid."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.accounts.services import user_require_identity
from rongcheng.cart.services import bag_lines_remove
from rongcheng.checkout.calculations import PricedCheckout
from rongcheng.checkout.errors import CheckoutInvalid, PriceChanged
from rongcheng.checkout.fetch import Destination
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.selectors import checkout_quote
from rongcheng.core.errors import ApplicationError
from rongcheng.core.money import from_fen, to_fen
from rongcheng.core.numbers import public_number
from rongcheng.core.sql import insert
from rongcheng.inventory.errors import InsufficientStock
from rongcheng.inventory.reservations import Hold, stock_reserve
from rongcheng.orders.models import Order, OrderLine
from rongcheng.orders.services import note_clean, order_holds, orders_notify_paid
from rongcheng.orders.state import record_placed, transition
from rongcheng.payments.models import Provider

TOKEN_MAX = 64
# The payment method of a checkout paid from the buyer's wallet (绒易付); the gateways' methods
# are their provider codes.
WALLET = "wallet"


def _placed(buyer: User, token: str) -> Checkout | None:
    return Checkout.objects.filter(buyer=buyer, token=token).first()


def checkout_place(
    *,
    buyer: User,
    token: str,
    delivery: str,
    expected_total_fen: int,
    address_id: int | None = None,
    pickup_store_id: int | None = None,
    note: str = "",
    lines: Sequence[tuple[int, int]] | None = None,
) -> Checkout:
    """Turn the ticked bag lines (or the given `lines`, leaving the bag alone) into
    paid-for-later orders, one per shipping store.

    Everything is computed again here; if the total is not the one the buyer confirmed
    (`expected_total_fen`), PriceChanged carries the new total and nothing is written. The
    same `token` returns the checkout it placed before. Stock is reserved in the same
    transaction: a line that cannot be reserved refuses the whole checkout.
    """
    if not token or len(token) > TOKEN_MAX:
        raise CheckoutInvalid(_("提交令牌无效，请刷新页面后重试。"))
    note = note_clean(note)
    user_require_identity(user=buyer)
    # A repeated submission is known by the token's unique constraint, or by the bag it found
    # emptied: no look-up is spent on the first, and usual, submission.
    try:
        with transaction.atomic(durable=True):
            return _place(
                buyer=buyer,
                token=token,
                delivery=delivery,
                expected_total_fen=expected_total_fen,
                address_id=address_id,
                pickup_store_id=pickup_store_id,
                note=note,
                lines=lines,
            )
    except (IntegrityError, ApplicationError):
        # The token was placed before, or by a submission running at the same time.
        done = _placed(buyer, token)
        if done is None:
            raise
        return done


def _place(
    *,
    buyer: User,
    token: str,
    delivery: str,
    expected_total_fen: int,
    address_id: int | None,
    pickup_store_id: int | None,
    note: str,
    lines: Sequence[tuple[int, int]] | None,
) -> Checkout:
    now = timezone.now()
    quote = checkout_quote(
        buyer=buyer,
        delivery=delivery,
        address_id=address_id,
        pickup_store_id=pickup_store_id,
        now=now,
        lines=lines,
    )
    priced = quote.priced
    if priced.total_fen != expected_total_fen:
        raise PriceChanged(
            _("商品价格或运费已变化，应付总额现为 ¥%(total)s，请确认后再提交。")
            % {"total": from_fen(priced.total_fen)},
            total_fen=priced.total_fen,
        )
    (checkout,) = insert(
        [
            Checkout(
                number=public_number(),
                buyer=buyer,
                token=token,
                delivery=delivery,
                total=from_fen(priced.total_fen),
            )
        ]
    )
    orders = _create_orders(
        checkout=checkout, priced=priced, destination=quote.info.destination, note=note, now=now
    )
    record_placed(orders=orders, actor=buyer, now=now)
    if lines is None:
        bag_lines_remove(user=buyer, sku_ids=[line.sku_id for line in quote.info.lines])
    # Last, so that a stock row wanted by many buyers stays locked only from its UPDATE to the
    # commit: the reservation's UPDATE, its movements, COMMIT.
    stock_reserve(holds=_holds(orders, priced), actor=buyer)
    return checkout


def _create_orders(
    *,
    checkout: Checkout,
    priced: PricedCheckout,
    destination: Destination,
    note: str,
    now: datetime,
) -> list[Order]:
    pay_due_at = now + settings.RONGCHENG["ORDER_PAYMENT_TIMEOUT"]
    orders = insert(
        [
            Order(
                number=public_number(),
                checkout=checkout,
                buyer=checkout.buyer,
                store_id=priced_order.store_id,
                delivery=destination.delivery,
                recipient=destination.recipient,
                phone=destination.phone,
                province_id=destination.province_code or None,
                city_id=destination.city_code or None,
                district_id=destination.district_code or None,
                address_detail=destination.detail,
                note=note,
                subtotal=from_fen(priced_order.subtotal_fen),
                discount=from_fen(priced_order.discount_fen),
                shipping_fee=from_fen(priced_order.shipping_fen),
                total=from_fen(priced_order.total_fen),
                weight_grams=priced_order.weight_grams,
                pay_due_at=pay_due_at,
            )
            for priced_order in priced.orders
        ]
    )
    insert(
        [
            OrderLine(
                order=order,
                sku_id=line.line.sku_id,
                product_id=line.line.product_id,
                product_name=line.line.product_name,
                sku_code=line.line.sku_code,
                colour=line.line.colour,
                size=line.line.size,
                quantity=line.line.quantity,
                unit_price=from_fen(line.line.unit_price_fen),
                regular_price=from_fen(line.line.regular_price_fen),
                subtotal=from_fen(line.subtotal_fen),
                discount=from_fen(line.discount_fen),
                shipping_fee=from_fen(line.shipping_fen),
                total=from_fen(line.total_fen),
            )
            for order, priced_order in zip(orders, priced.orders, strict=True)
            for line in priced_order.lines
        ]
    )
    return orders


def _holds(orders: list[Order], priced: PricedCheckout) -> list[Hold]:
    """The stock the new orders hold, from the lines just priced (nothing read back)."""
    return [
        Hold(order.store_id, line.line.sku_id, line.line.quantity, order.number)
        for order, priced_order in zip(orders, priced.orders, strict=True)
        for line in priced_order.lines
    ]


# --- Payment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentOutcome:
    """What a payment of a checkout did, for the payments side to act on.

    `paid`: the orders the payment paid. `refund_fen`: the part of the payment no order took
    (orders cancelled or closed before the money came, whose stock could not be held again):
    it must go back to the buyer.
    """

    checkout_number: str
    paid: tuple[str, ...]
    refund_fen: int

    @property
    def needs_refund(self) -> bool:
        return self.refund_fen > 0


def checkout_mark_paid(
    *, checkout: Checkout, payment_number: str, amount_fen: int, paid_at: datetime, method: str
) -> PaymentOutcome:
    """Called by payments once payment `payment_number` of `amount_fen` for the checkout is
    verified.

    The orders awaiting payment become paid; then closed orders, in turn, if what is left of
    the amount covers them and their stock can be reserved again; the rest of the amount is to
    be refunded. A payment short of what the waiting orders cost pays nothing and is refunded
    whole, and so is a second payment of a checkout another payment paid already. A second
    call for the same payment changes nothing and reports the same outcome. Runs in the
    caller's transaction, under the payment's row lock (locks: payment → order → checkout →
    stock); nothing that holds an order's lock may then lock a payment.
    """
    with transaction.atomic():
        orders = list(Order.objects.select_for_update().filter(checkout=checkout).order_by("id"))
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if locked.paid_at is not None:
            if locked.payment_number != payment_number:
                return PaymentOutcome(checkout.number, (), amount_fen)
            return _outcome(locked, orders)
        waiting = [order for order in orders if order.status == Order.Status.AWAITING_PAYMENT]
        left = amount_fen - sum(to_fen(order.total) for order in waiting)
        if left < 0:
            return PaymentOutcome(checkout.number, (), amount_fen)
        paying = list(waiting)
        for order in orders:
            covered = order.status == Order.Status.CLOSED and to_fen(order.total) <= left
            if covered and _revived(order):
                paying.append(order)
                left -= to_fen(order.total)
        newly_paid = [
            _pay(order, paid_at=paid_at, method=method)
            for order in sorted(paying, key=lambda order: order.pk)
        ]
        locked.paid_at = paid_at
        locked.payment_method = method
        locked.payment_number = payment_number
        locked.amount_paid = from_fen(amount_fen)
        locked.refund_due = from_fen(left)
        locked.save(
            update_fields=[
                "paid_at",
                "payment_method",
                "payment_number",
                "amount_paid",
                "refund_due",
                "updated_at",
            ]
        )
        orders_notify_paid(orders=newly_paid)
        return _outcome(locked, newly_paid)


def _pay(order: Order, *, paid_at: datetime, method: str) -> Order:
    Order.objects.filter(pk=order.pk).update(payment_method=method)
    # The buyer's timeline names the provider as people know it (支付宝), not by its code.
    label = _method_label(method)
    return transition(
        order,
        to=Order.Status.PAID,
        actor=None,
        reason=_("支付成功（%(method)s）") % {"method": label},
        now=paid_at,
    )


def _method_label(method: str) -> str:
    if method == WALLET:
        return _("绒易付余额")
    return str(Provider(method).label) if method in Provider.values else method


def _revived(order: Order) -> bool:
    """Hold the stock of a closed order again, if every line still can be."""
    try:
        with transaction.atomic():
            stock_reserve(holds=order_holds(orders=[order]), note=_("关闭后付款，重新预留"))
    except InsufficientStock:
        return False
    return True


def _outcome(checkout: Checkout, orders: list[Order]) -> PaymentOutcome:
    return PaymentOutcome(
        checkout_number=checkout.number,
        paid=tuple(order.number for order in orders if order.paid_at is not None),
        refund_fen=to_fen(checkout.refund_due),
    )
