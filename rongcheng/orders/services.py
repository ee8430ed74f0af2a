"""What buyers, stores and the periodic jobs do to orders. Status changes go through
orders.state; stock goes back to sale through inventory.reservations."""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import Address, User
from rongcheng.core.errors import ApplicationError
from rongcheng.core.money import from_fen, to_fen
from rongcheng.fulfillment.calculations import shipping_fee_fen
from rongcheng.fulfillment.selectors import active_fee_template
from rongcheng.inventory.reservations import Hold, stock_release
from rongcheng.notifications.models import Notice
from rongcheng.notifications.services import notices_send
from rongcheng.orders.errors import CancellationInvalid, OrderNotChangeable, OrderNotFound
from rongcheng.orders.models import CancellationRequest, Delivery, Order, OrderLine
from rongcheng.orders.refunds import RefundDue, refund_after_commit
from rongcheng.orders.state import transition, transition_many
from rongcheng.stores.access import access_store
from rongcheng.stores.models import StoreMembership

logger = logging.getLogger(__name__)

S = Order.Status
# Store roles that handle orders (FUL-2, R-12).
ORDER_ROLES = (
    StoreMembership.Role.MANAGER,
    StoreMembership.Role.CLERK,
    StoreMembership.Role.FULFILLMENT,
)
BATCH = 500
NOTE_MAX = 200


def note_clean(note: str) -> str:
    """The buyer's note to the seller (FUL-1), trimmed and checked for length."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise OrderNotChangeable(_("留言不能超过 %(max)s 个字。") % {"max": NOTE_MAX}, field="note")
    return note


def order_holds(*, orders: Iterable[Order]) -> list[Hold]:
    """The stock an order holds: each line's units in the order's store."""
    by_id = {order.pk: order for order in orders}
    lines = OrderLine.objects.filter(order_id__in=list(by_id)).values_list(
        "order_id", "sku_id", "quantity"
    )
    return [
        Hold(by_id[order_id].store_id, sku_id, quantity, by_id[order_id].number)
        for order_id, sku_id, quantity in lines
    ]


def _buyer_order(buyer: User, number: str) -> Order:
    order = Order.objects.select_for_update().filter(buyer=buyer, number=number).first()
    if order is None:
        raise OrderNotFound(_("没有这个订单。"))
    return order


# --- The buyer, before payment (FUL-1) -------------------------------------------------------


def order_change(
    *, buyer: User, number: str, address_id: int | None = None, note: str | None = None
) -> Order:
    """Change the delivery address or the note of an unpaid order.

    The order keeps its shipping store and its total: an address whose shipping fee differs
    from the one charged is refused (cancel and order again), so an amount the buyer may
    already be paying never changes under them.
    """
    with transaction.atomic():
        order = _buyer_order(buyer, number)
        if order.status != S.AWAITING_PAYMENT:
            raise OrderNotChangeable(_("订单付款后不能修改。"))
        fields = ["updated_at"]
        if note is not None:
            order.note = note_clean(note)
            fields.append("note")
        if address_id is not None:
            _readdress(order, buyer=buyer, address_id=address_id)
            fields += ["recipient", "phone", "province", "city", "district", "address_detail"]
        order.save(update_fields=fields)
        return order


def _readdress(order: Order, *, buyer: User, address_id: int) -> None:
    if order.delivery != Delivery.COURIER:
        raise OrderNotChangeable(_("自提订单没有收货地址。"))
    address = Address.objects.filter(user=buyer, pk=address_id).first()
    if address is None:
        raise OrderNotChangeable(_("请选择您的收货地址。"))
    fee = shipping_fee_fen(
        active_fee_template(),
        province_code=address.province_id,
        city_code=address.city_id,
        weight_grams=order.weight_grams,
        pieces=sum(order.lines.values_list("quantity", flat=True)),
        goods_fen=to_fen(order.subtotal - order.discount),
    )
    if from_fen(fee) != order.shipping_fee:
        raise OrderNotChangeable(
            _("新地址的运费为 ¥%(fee)s，与原运费不同，请取消订单后重新下单。")
            % {"fee": from_fen(fee)}
        )
    order.recipient, order.phone = address.recipient, address.phone
    order.province_id, order.city_id = address.province_id, address.city_id
    order.district_id, order.address_detail = address.district_id, address.detail


def order_cancel(*, buyer: User, number: str, reason: str = "") -> Order:
    """The buyer cancels an unpaid order; its stock goes back to sale (ORD-2)."""
    with transaction.atomic():
        order = _buyer_order(buyer, number)
        transition(
            order,
            to=S.CANCELLED,
            actor=buyer,
            reason=reason or _("买家取消"),
            expect=[S.AWAITING_PAYMENT],
        )
        stock_release(holds=order_holds(orders=[order]), actor=buyer, note=_("买家取消订单"))
        return order


def orders_close_unpaid(*, now: datetime | None = None) -> int:
    """Close the orders unpaid past their deadline and release their stock (R-7).

    Set-based and idempotent: each batch closes with one conditional UPDATE; an order paid or
    cancelled meanwhile is left alone. Returns the number closed.
    """
    now = now or timezone.now()
    closed = 0
    while True:
        with transaction.atomic():
            due = list(
                Order.objects.filter(status=S.AWAITING_PAYMENT, pay_due_at__lte=now)
                .order_by("id")
                .values_list("id", flat=True)[:BATCH]
            )
            if not due:
                return closed
            ids = transition_many(
                order_ids=due,
                to=S.CLOSED,
                actor=None,
                reason=_("超时未付款，系统关闭"),
                now=now,
                expect=[S.AWAITING_PAYMENT],
            )
            orders = Order.objects.filter(id__in=ids).only("id", "store_id", "number")
            stock_release(holds=order_holds(orders=orders), note=_("超时未付款"))
            closed += len(ids)


def orders_notify_paid(*, orders: Sequence[Order]) -> None:
    """New paid orders: a notice to every staff member of the shipping store, pushed to their
    open seller-center pages after commit (FUL-7)."""
    for order in orders:
        staff = StoreMembership.objects.filter(
            store_id=order.store_id, is_active=True, role__in=ORDER_ROLES
        ).values_list("user_id", flat=True)
        notices_send(
            recipient_ids=staff,
            kind=Notice.Kind.NEW_ORDER,
            title=_("新订单待发货"),
            body=_("订单 %(number)s 已付款 ¥%(total)s，请尽快备货发货。")
            % {"number": order.number, "total": order.total},
            reference=order.number,
        )


# --- Cancelling a paid order (R-12) ----------------------------------------------------------


def cancellation_request(*, buyer: User, number: str, reason: str) -> CancellationRequest:
    """The buyer asks to cancel a paid order the store has not shipped."""
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise CancellationInvalid(_("请填写取消原因（200 字以内）。"))
    with transaction.atomic():
        order = _buyer_order(buyer, number)
        if order.status != S.PAID:
            raise CancellationInvalid(_("只有已付款、未发货的订单可以申请取消。"))
        if order.cancellation_requests.filter(status=CancellationRequest.Status.PENDING).exists():
            raise CancellationInvalid(_("该订单已有待处理的取消申请。"))
        return CancellationRequest.objects.create(
            order=order,
            reason=reason,
            due_at=timezone.now() + settings.RONGCHENG["CANCELLATION_AUTO_ACCEPT"],
        )


def _pending(request_id: int, store_id: int | None = None) -> CancellationRequest:
    requests = CancellationRequest.objects.select_related("order", "order__checkout")
    if store_id is not None:
        requests = requests.filter(order__store_id=store_id)
    request = requests.filter(pk=request_id).first()
    if request is None:
        raise CancellationInvalid(_("没有这个取消申请。"))
    return request


def _decide(
    request: CancellationRequest, *, status: str, actor: User | None, answer: str = ""
) -> None:
    decided = CancellationRequest.objects.filter(
        pk=request.pk, status=CancellationRequest.Status.PENDING
    ).update(status=status, answer=answer, decided_by=actor, decided_at=timezone.now())
    if not decided:
        raise CancellationInvalid(_("该取消申请已处理。"))
    request.refresh_from_db()


def _accept(request: CancellationRequest, *, actor: User | None, reason: str) -> None:
    order = request.order
    transition(order, to=S.CANCELLED, actor=actor, reason=reason, expect=[S.PAID])
    _decide(request, status=CancellationRequest.Status.ACCEPTED, actor=actor)
    stock_release(holds=order_holds(orders=[order]), actor=actor, note=_("取消已付款订单"))
    refund_after_commit(
        RefundDue(
            key=f"cancel-{request.pk}",
            checkout_number=order.checkout.number,
            order_number=order.number,
            amount=order.total,
            reason=request.reason,
        )
    )


def cancellation_accept(*, actor: User, store_id: int, request_id: int) -> CancellationRequest:
    """The store agrees: the order is cancelled, its stock released and refunded in full."""
    with transaction.atomic():
        store = access_store(user=actor, store_id=store_id, roles=ORDER_ROLES)
        request = _pending(request_id, store.pk)
        _accept(request, actor=actor, reason=_("门店同意取消"))
        return request


def cancellation_refuse(
    *, actor: User, store_id: int, request_id: int, answer: str
) -> CancellationRequest:
    """The store refuses, with a reason the buyer sees; the order goes on."""
    answer = answer.strip()
    if not answer or len(answer) > 200:
        raise CancellationInvalid(_("请填写拒绝理由（200 字以内）。"))
    with transaction.atomic():
        store = access_store(user=actor, store_id=store_id, roles=ORDER_ROLES)
        request = _pending(request_id, store.pk)
        _decide(request, status=CancellationRequest.Status.REFUSED, actor=actor, answer=answer)
        return request


def cancellations_accept_overdue(*, now: datetime | None = None) -> int:
    """Accept every request unanswered past its deadline (R-12). Idempotent; returns how many.

    One transaction per request, so one order that cannot be cancelled does not hold up the
    rest; it stays pending and is tried again on the next run.
    """
    now = now or timezone.now()
    due = CancellationRequest.objects.filter(
        status=CancellationRequest.Status.PENDING, due_at__lte=now
    ).values_list("id", flat=True)
    accepted = 0
    for request_id in list(due):
        try:
            with transaction.atomic():
                _accept(_pending(request_id), actor=None, reason=_("门店超时未处理，系统同意取消"))
        except ApplicationError as error:
            logger.warning("Cancellation request %s not accepted: %s", request_id, error.code)
        else:
            accepted += 1
    return accepted
