"""The sandbox Alipay cashier in a browser: the buyer sees the amount and a QR, pays, and is
sent back; the payment is settled by the notification the sandbox sent, not by the return."""

import pytest
from playwright.sync_api import expect

from rongcheng.core.testing.factories import UserFactory
from rongcheng.payments import purposes
from rongcheng.payments.models import Payment, PaymentStatus
from rongcheng.payments.services import payment_start
from rongcheng.payments.tests.conftest import PURPOSE, new_payment


@pytest.fixture
def paid_log():
    paid = []
    purposes.register(PURPOSE, on_paid=lambda payment: paid.append(payment.out_trade_no))
    yield paid
    purposes.unregister(PURPOSE)


@pytest.mark.django_db(transaction=True)
def test_a_buyer_pays_at_the_sandbox_cashier(page, paid_log):
    payment = new_payment(UserFactory(), amount="1280.00")
    start = payment_start(payment=payment, base_url=page.base_url, return_url="/healthz")

    page.goto(start.redirect_url)
    expect(page.locator("[data-amount]")).to_have_text("1280.00")
    expect(page.locator(".qr svg")).to_be_visible()
    page.get_by_role("button", name="付款", exact=True).click()

    page.wait_for_url(f"{page.base_url}/healthz?**")
    assert f"out_trade_no={payment.out_trade_no}" in page.url
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert paid_log == [payment.out_trade_no]
