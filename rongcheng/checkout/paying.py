"""Paying a checkout: the "checkout" purpose of the payments app.

`checkout_pay` starts a payment for what the checkout's orders still owe; the purpose's
handler (`checkout_paid`) marks them paid when payments has verified the money, and gives back
what no order took; `order_refund` is the refund hook of an accepted cancellation
(`RONGCHENG["ORDER_REFUND_HANDLER"]`), which refunds each order the way it was paid.
`checkout_pay_from_wallet` pays from the buyer's wallet (绒易付) with no gateway at all.

Locks: the handler runs under the payment's row lock and then takes the orders, the checkout
and the stock (payment → order → checkout → stock). Code that holds an order's lock never
touches a payment: refunds are asked for after the commit.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.checkout.errors import CheckoutNotPayable
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.selectors import checkout_amount_due_fen
from rongcheng.checkout.services import WALLET, PaymentOutcome, checkout_mark_paid
from rongcheng.core.money import from_fen, to_fen
from rongcheng.ledger import chart
from rongcheng.ledger.errors import InsufficientBalance
from rongcheng.ledger.selectors import wallet_balance
from rongcheng.ledger.services import (
    StoreParts,
    post_cash_payment,
    post_checkout_payment,
    post_refund,
    post_wallet_payment,
)
from rongcheng.ledger.wallet import wallet_check_payment_password
from rongcheng.notifications.models import Notice
from rongcheng.notifications.services import notices_send
from rongcheng.orders.models import Order
from rongcheng.orders.refunds import RefundDue
from rongcheng.payments.errors import GatewayUnavailable
from rongcheng.payments.gateways.base import PaymentStart
from rongcheng.payments.models import Payment, Provider
from rongcheng.payments.services import payment_create, payment_refund, payment_start

logger = logging.getLogger(__name__)

PURPOSE = "checkout"


def checkout_pay(
    *,
    buyer: User,
    checkout_number: str,
    channel: str,
    base_url: str,
    return_url: str,
    client_ip: str = "",
    openid: str = "",
) -> tuple[Payment, PaymentStart]:
    """Start paying the buyer's checkout through `channel`, for what its orders owe now
    (`client_ip`: WeChat Pay H5 names the buyer's address to WeChat; `openid`: the buyer in
    the WeChat mall, for JSAPI).

    Every attempt is a new payment: an earlier one may have failed at the provider, which
    then refuses to reopen it. Earlier attempts left pending are closed by the query job; one
    that still succeeds after another paid the checkout is refunded whole.
    """
    checkout = Checkout.objects.filter(buyer=buyer, number=checkout_number).first()
    if checkout is None:
        raise CheckoutNotPayable(_("没有这个结算单。"))
    due_fen = checkout_amount_due_fen(checkout=checkout)
    if due_fen <= 0:
        raise CheckoutNotPayable(_("该结算单没有待付款的订单。"))
    payment = payment_create(
        purpose=PURPOSE,
        reference=checkout.number,
        buyer=buyer,
        subject=_("绒城购订单 %(number)s") % {"number": checkout.number},
        amount=from_fen(due_fen),
        channel=channel,
    )
    started = payment_start(
        payment=payment,
        base_url=base_url,
        return_url=return_url,
        client_ip=client_ip,
        openid=openid,
    )
    return payment, started


def checkout_paid(payment: Payment) -> None:
    """The purpose's handler, for a payment on time or late (called under its row lock).

    Orders awaiting payment become paid; closed ones revive if the amount covers them and
    their stock can be held again; what no order took goes back to the buyer after the commit.
    The ledger records, in the same transaction, that the money at the channel is owed to the
    stores of the orders it paid (one journal per payment).
    """
    checkout = Checkout.objects.get(number=payment.reference)
    outcome = checkout_mark_paid(
        checkout=checkout,
        payment_number=payment.out_trade_no,
        amount_fen=to_fen(payment.amount),
        paid_at=payment.paid_at or timezone.now(),
        method=payment.provider,
    )
    if outcome.paid:
        _post_to_ledger(payment, outcome)
    if outcome.needs_refund:
        _give_back(payment, outcome)


def _store_parts(order_numbers) -> StoreParts:
    orders = Order.objects.filter(number__in=order_numbers).select_related("store").order_by("id")
    return [(order.store, order.total) for order in orders]


def _total(parts: StoreParts) -> Decimal:
    return sum((amount for _store, amount in parts), Decimal("0.00"))


def _post_to_ledger(payment: Payment, outcome: PaymentOutcome) -> None:
    parts = _store_parts(outcome.paid)
    if payment.provider == Provider.CASH:
        # Taken at the counter of the store that ships every order (checkout.counter).
        post_cash_payment(
            store=parts[0][0],
            reference=f"payment:{payment.out_trade_no}",
            amount=_total(parts),
            parts=parts,
        )
        return
    post_checkout_payment(
        gateway=payment.provider,
        reference=f"payment:{payment.out_trade_no}",
        amount=_total(parts),
        parts=parts,
    )


def checkout_pay_from_wallet(*, buyer: User, checkout_number: str, password: str) -> Checkout:
    """Pay what the buyer's checkout owes from their wallet, confirmed by the payment password.

    The password is checked first, in its own transaction (a wrong one stays counted); then one
    durable transaction marks the orders paid and moves the money from the wallet to the stores
    of the orders. A short balance, a wrong password or a checkout paid meanwhile writes nothing.
    """
    checkout = Checkout.objects.filter(buyer=buyer, number=checkout_number).first()
    if checkout is None:
        raise CheckoutNotPayable(_("没有这个结算单。"))
    due_fen = checkout_amount_due_fen(checkout=checkout)
    if due_fen <= 0:
        raise CheckoutNotPayable(_("该结算单没有待付款的订单。"))
    _require_balance(buyer, due_fen)
    wallet_check_payment_password(user=buyer, password=password)
    with transaction.atomic(durable=True):
        outcome = checkout_mark_paid(
            checkout=checkout,
            payment_number=f"{WALLET}-{checkout.number}",
            amount_fen=due_fen,
            paid_at=timezone.now(),
            method=WALLET,
        )
        if outcome.needs_refund or not outcome.paid:
            # The orders changed since the amount was read (paid, closed or cancelled meanwhile).
            raise CheckoutNotPayable(_("订单状态已变化，请刷新后重试。"))
        parts = _store_parts(outcome.paid)
        post_wallet_payment(
            member=buyer, reference=f"wallet:{checkout.number}", amount=_total(parts), parts=parts
        )
    checkout.refresh_from_db()
    return checkout


def _require_balance(buyer: User, due_fen: int) -> None:
    balance = wallet_balance(member=buyer)
    if to_fen(balance) < due_fen:
        raise InsufficientBalance(
            _("绒易付余额 ¥%(balance)s，不足以支付 ¥%(due)s。")
            % {"balance": balance, "due": from_fen(due_fen)}
        )


def _give_back(payment: Payment, outcome: PaymentOutcome) -> None:
    amount = from_fen(outcome.refund_fen)
    notices_send(
        recipient_ids=[payment.buyer_id],
        kind=Notice.Kind.PAYMENT_REFUND,
        title=_("付款已原路退回"),
        body=_(
            "结算单 %(number)s 的付款中 ¥%(amount)s 未能用于订单（订单已取消、关闭或商品已售完），"
            "已原路退回。"
        )
        % {"number": outcome.checkout_number, "amount": amount},
        reference=outcome.checkout_number,
    )
    request_id = f"surplus-{payment.out_trade_no}"
    reason = _("付款未用于订单，自动退回")
    transaction.on_commit(
        lambda: _refund(payment.pk, amount, request_id, reason, order_number=""), robust=True
    )


def _refund(
    payment_id: int, amount: Decimal, request_id: str, reason: str, *, order_number: str
) -> None:
    payment = Payment.objects.get(pk=payment_id)
    try:
        payment_refund(
            payment=payment,
            amount=amount,
            request_id=request_id,
            reason=reason,
            reference=order_number,
        )
    except GatewayUnavailable:
        # The refund stays pending under its request id; asking again carries it on.
        logger.warning("Refund %s of payment %s pending: gateway unavailable", request_id, payment)


def order_refund(due: RefundDue) -> None:
    """Refund an accepted cancellation the way its order was paid: back into the wallet, or
    through the gateway payment that paid its checkout; idempotent by the request's key."""
    checkout = Checkout.objects.get(number=due.checkout_number)
    if checkout.payment_method == WALLET:
        order = Order.objects.select_related("store").get(number=due.order_number)
        post_refund(
            reference=f"{due.key}:{order.number}",
            parts=[(order.store, due.amount)],
            to=chart.member_wallet(checkout.buyer),
        )
        return
    payment = Payment.objects.get(purpose=PURPOSE, out_trade_no=checkout.payment_number)
    _refund(payment.pk, due.amount, due.key, due.reason, order_number=due.order_number)
