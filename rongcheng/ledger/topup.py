"""Topping up the wallet (绒易付) through a payment gateway: the "wallet_topup" purpose.

`wallet_topup_start` opens a payment of the chosen amount through any gateway channel; when
payments has verified the money (a notification or a query, on time or late), `wallet_topped_up`
credits the member's wallet with it, once per payment, in the payment's transaction.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.core.numbers import public_number
from rongcheng.ledger.errors import InvalidPosting, TopupInvalid
from rongcheng.ledger.services import positive_amount, post_wallet_topup
from rongcheng.payments.gateways.base import PaymentStart
from rongcheng.payments.models import Payment
from rongcheng.payments.services import payment_create, payment_start

PURPOSE = "wallet_topup"


def _valid_amount(amount: Decimal) -> Decimal:
    try:
        amount = positive_amount(amount)
    except InvalidPosting:
        raise TopupInvalid(_("请输入精确到分的充值金额。"), field="amount") from None
    most = settings.RONGCHENG["WALLET_TOPUP_MAX"]
    if amount > most:
        raise TopupInvalid(_("单次充值不能超过 ¥%(most)s。") % {"most": most}, field="amount")
    return amount


def wallet_topup_start(
    *,
    member: User,
    amount: Decimal,
    channel: str,
    base_url: str,
    return_url: str,
    client_ip: str = "",
) -> tuple[Payment, PaymentStart]:
    """Start paying `amount` into the member's wallet through `channel`."""
    amount = _valid_amount(amount)
    payment = payment_create(
        purpose=PURPOSE,
        reference=public_number("TU"),
        buyer=member,
        subject=_("绒易付充值"),
        amount=amount,
        channel=channel,
    )
    started = payment_start(
        payment=payment, base_url=base_url, return_url=return_url, client_ip=client_ip
    )
    return payment, started


def wallet_topped_up(payment: Payment) -> None:
    """The purpose's handler (under the payment's row lock): the money paid is the member's."""
    post_wallet_topup(
        member=payment.buyer,
        gateway=payment.provider,
        reference=f"payment:{payment.out_trade_no}",
        amount=payment.amount,
    )
