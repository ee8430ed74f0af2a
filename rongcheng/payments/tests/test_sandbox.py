from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from rongcheng.payments.models import (
    Channel,
    GatewayNotification,
    PaymentStatus,
    SandboxAlipayTrade,
    Verdict,
)
from rongcheng.payments.services import payment_start
from rongcheng.payments.tests.conftest import BASE_URL, new_payment

pytestmark = pytest.mark.django_db


def at_cashier(client, payment, channel_return="/member/orders/"):
    start = payment_start(payment=payment, base_url=BASE_URL, return_url=channel_return)
    response = client.get(start.redirect_url)
    assert response.status_code == 302
    assert response["Location"] == f"/payments/sandbox/alipay/{payment.out_trade_no}/"
    return response["Location"]


def test_the_cashier_shows_the_amount_a_qr_and_pay_or_fail(member, handlers):
    payment = new_payment(member, amount="1280.50")
    client = Client()
    cashier = at_cashier(client, payment)

    page = client.get(cashier).content.decode()

    assert "¥<strong data-amount>1280.50</strong>" in page
    assert "<svg" in page
    assert ">付款</button>" in page and ">支付失败</button>" in page
    assert payment.out_trade_no in page


def test_the_cashier_speaks_english(member, handlers):
    payment = new_payment(member)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(at_cashier(client, payment)).content.decode()

    assert ">Pay</button>" in page and ">Payment fails</button>" in page


def test_paying_at_the_cashier_sends_a_verified_notification(
    member, handlers, django_capture_on_commit_callbacks
):
    payment = new_payment(member)
    client = Client(enforce_csrf_checks=False)
    cashier = at_cashier(client, payment)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cashier, {"action": "pay"})

    returned = urlsplit(response["Location"])
    assert (returned.scheme, returned.netloc, returned.path) == (
        "http",
        "testserver",
        "/member/orders/",
    )
    params = dict(parse_qsl(returned.query))
    assert params["out_trade_no"] == payment.out_trade_no and params["sign"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    notification = GatewayNotification.objects.get()
    assert (notification.verdict, notification.payment) == (Verdict.PROCESSED, payment)
    assert handlers.paid == [(payment.out_trade_no, PaymentStatus.PAID)]
    assert "付款成功" in client.get(cashier).content.decode()


def test_the_return_url_pays_nothing(member, handlers, django_capture_on_commit_callbacks):
    payment = new_payment(member)
    client = Client()
    cashier = at_cashier(client, payment)
    with django_capture_on_commit_callbacks(execute=False):  # the notification is lost
        response = client.post(cashier, {"action": "pay"})

    client.get(response["Location"])

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert handlers.paid == []


def test_a_failed_payment_closes_the_trade_and_returns_the_buyer(member, handlers):
    payment = new_payment(member)
    client = Client()
    cashier = at_cashier(client, payment)

    response = client.post(cashier, {"action": "fail"})

    assert urlsplit(response["Location"]).path == "/member/orders/"
    assert SandboxAlipayTrade.objects.get().trade_status == "TRADE_CLOSED"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not GatewayNotification.objects.exists()
    # A closed trade cannot be paid any more.
    page = client.post(cashier, {"action": "pay"}).content.decode()
    assert "该交易已关闭，不能付款。" in page
    assert not GatewayNotification.objects.exists()


def test_the_gateway_refuses_an_order_not_signed_by_the_app(member, handlers):
    payment = new_payment(member)
    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/")
    tampered = start.redirect_url.replace("total_amount%22%3A%2288.00", "total_amount%22%3A%220.01")
    assert tampered != start.redirect_url

    assert Client().get(tampered).status_code == 400
    assert not SandboxAlipayTrade.objects.exists()


def test_a_qr_payment_gets_a_code_that_opens_the_cashier(member, handlers):
    payment = new_payment(member, channel=Channel.ALIPAY_QR)

    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/")

    assert start.qr_code == f"http://testserver/payments/sandbox/alipay/{payment.out_trade_no}/"
    trade = SandboxAlipayTrade.objects.get()
    assert (trade.product_code, trade.notify_url) == (
        "FACE_TO_FACE_PAYMENT",
        "http://testserver/payments/notify/alipay/",
    )
    assert Client().get(start.qr_code).status_code == 200


def test_the_sandbox_is_closed_when_switched_off(member, handlers, settings):
    payment = new_payment(member)
    start = payment_start(payment=payment, base_url=BASE_URL, return_url="/")
    settings.PAYMENTS_SANDBOX = False

    assert Client().get(start.redirect_url).status_code == 404
    assert Client().get(f"/payments/sandbox/alipay/{payment.out_trade_no}/").status_code == 404
