import pytest
from django.test import Client

from rongcheng.core.testing.factories import UserFactory
from rongcheng.payments.models import Refund
from rongcheng.payments.services import payment_notification_handle, payment_refund
from rongcheng.payments.tests.conftest import opened_payment, paid_notification

pytestmark = pytest.mark.django_db


def test_operations_read_a_payment_with_its_events_refunds_and_notifications(member, handlers):
    payment = opened_payment(member)
    body = paid_notification(payment)
    payment_notification_handle(provider="alipay", body=body.encode(), headers={})
    payment.refresh_from_db()
    payment_refund(payment=payment, amount="8.00", request_id="R-ADMIN-1", reason="少发一件")
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get("/backoffice/payments/payment/").content.decode()
    detail = client.get(f"/backoffice/payments/payment/{payment.pk}/change/").content.decode()
    notifications = client.get("/backoffice/payments/gatewaynotification/").content.decode()
    refund = Refund.objects.get()
    refunds = client.get("/backoffice/payments/refund/").content.decode()

    assert payment.out_trade_no in listing
    assert "R-ADMIN-1" in detail and payment.provider_trade_no in detail
    assert "已处理" in notifications
    assert refund.request_id in refunds
