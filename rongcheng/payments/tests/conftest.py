"""Shared set-up for the payments tests: a purpose registered by the test, and payments started
through the sandbox Alipay exactly as a buyer's browser would start them."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from rongcheng.payments import purposes
from rongcheng.payments.models import Channel, Payment
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_create, payment_start

PURPOSE = "test_order"
BASE_URL = "http://testserver"


class HandlerLog:
    def __init__(self):
        self.paid: list[tuple[str, str]] = []
        self.late: list[str] = []
        self.refunded: list[tuple[str, str, Decimal]] = []


@pytest.fixture
def handlers():
    """Registers the test's purpose; its handlers record each call."""
    log = HandlerLog()
    purposes.register(
        PURPOSE,
        on_paid=lambda payment: log.paid.append((payment.out_trade_no, payment.status)),
        on_late=lambda payment: log.late.append(payment.out_trade_no),
        on_refunded=lambda payment, refund: log.refunded.append(
            (payment.out_trade_no, refund.request_id, refund.amount)
        ),
    )
    yield log
    purposes.unregister(PURPOSE)


def new_payment(buyer, *, amount="88.00", channel=Channel.ALIPAY_PAGE) -> Payment:
    return payment_create(
        purpose=PURPOSE,
        reference="C-0001",
        buyer=buyer,
        subject="羊绒围巾",
        amount=Decimal(amount),
        channel=channel,
    )


def opened_payment(buyer, **kwargs) -> Payment:
    """A page-pay payment whose buyer has reached the sandbox Alipay cashier."""
    payment = new_payment(buyer, **kwargs)
    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/member/orders/")
    sandbox_alipay.open_cashier(urlsplit(start.redirect_url).query)
    return payment


def notification_params(body: str) -> dict[str, str]:
    params = dict(parse_qsl(body))
    params.pop("sign")
    params.pop("sign_type")
    return params


def paid_notification(payment: Payment) -> str:
    """The buyer pays at the sandbox cashier: Alipay's signed notification body."""
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
    return body
