"""Topping up the wallet through the sandbox Alipay: only the verified notification credits it."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from rongcheng.core.testing.factories import UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.errors import TopupInvalid
from rongcheng.ledger.models import Journal
from rongcheng.ledger.topup import wallet_topup_start
from rongcheng.payments.models import Channel, Payment, PaymentStatus
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_notification_handle

pytestmark = pytest.mark.django_db


def notify(body: str) -> str:
    return payment_notification_handle(provider="alipay", body=body.encode(), headers={}).body


def start(member, amount: str) -> Payment:
    payment, started = wallet_topup_start(
        member=member,
        amount=Decimal(amount),
        channel=Channel.ALIPAY_PAGE,
        base_url="http://testserver",
        return_url="/member/wallet/",
    )
    sandbox_alipay.open_cashier(urlsplit(started.redirect_url).query)
    return payment


def test_a_top_up_paid_at_alipay_credits_the_wallet_once():
    member = UserFactory()
    payment = start(member, "500.00")
    assert (payment.purpose, payment.amount, payment.buyer) == (
        "wallet_topup",
        Decimal("500.00"),
        member,
    )
    assert payment.reference.startswith("TU")
    assert chart.member_wallet(member).balance == Decimal("0.00")

    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
    assert notify(body) == "success"

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert chart.member_wallet(member).balance == Decimal("500.00")
    journal = Journal.objects.get()
    assert (journal.kind, journal.reference) == ("wallet_topup", f"payment:{payment.out_trade_no}")
    assert sorted(
        (entry.account.kind, entry.account.code, entry.amount)
        for entry in journal.entries.select_related("account")
    ) == [
        ("gateway_clearing", "alipay", Decimal("-500.00")),
        ("member_wallet", "", Decimal("500.00")),
    ]
    # The provider repeats its notification: the wallet is credited once.
    assert notify(body) == "success"
    assert Journal.objects.count() == 1
    assert chart.member_wallet(member).balance == Decimal("500.00")


def test_a_forged_notification_credits_nothing():
    member = UserFactory()
    payment = start(member, "500.00")
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)

    assert notify(body.replace("500.00", "5000.00")) == "fail"

    assert chart.member_wallet(member).balance == Decimal("0.00")
    assert not Journal.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0.00", "请输入精确到分的充值金额。"),
        ("0.001", "请输入精确到分的充值金额。"),
        ("5000.01", "单次充值不能超过 ¥5000.00。"),
    ],
)
def test_an_amount_out_of_bounds_opens_no_payment(amount, message):
    with pytest.raises(TopupInvalid) as refused:
        start(UserFactory(), amount)
    assert refused.value.message == message
    assert not Payment.objects.exists()


def test_the_largest_top_up_is_allowed():
    assert start(UserFactory(), "5000.00").amount == Decimal("5000.00")
