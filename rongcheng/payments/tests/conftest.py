"""Shared set-up for the payments tests: a purpose registered by the test, and payments started
through the sandbox Alipay exactly as a buyer's browser would start them."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.utils import timezone

from rongcheng.payments import purposes
from rongcheng.payments.models import Channel, Payment, PaymentEvent, PaymentStatus
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_create, payment_start

PURPOSE = "test_order"
BASE_URL = "http://testserver"
START = timezone.datetime(2026, 12, 6, 10, 0, tzinfo=timezone.get_default_timezone())


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


@pytest.fixture
def clock():
    """Time stands at START until the test shifts it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def assert_unchanged(payment: Payment, handlers) -> None:
    """A refused notification left the payment pending, with no event and no handler call."""
    payment.refresh_from_db()
    assert (payment.status, payment.provider_trade_no, payment.paid_at) == (
        PaymentStatus.PENDING,
        "",
        None,
    )
    assert not PaymentEvent.objects.exists()
    assert handlers.paid == [] and handlers.late == []


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
