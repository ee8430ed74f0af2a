"""我的钱包 and paying from the wallet at the cashier: balance, statement, top-up through the
sandbox Alipay, the payment password, withdrawals and the wallet terms. Members only."""

import datetime
from decimal import Decimal
from html import unescape
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from rongcheng.checkout.tests.buying import Mall, build_mall, buy
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.models import Journal, PaymentPassword, Withdrawal
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.wallet import wallet_check_payment_password, wallet_set_payment_password
from rongcheng.notifications.testing import last_sms_code
from rongcheng.orders.models import Order
from rongcheng.payments.models import Payment
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_notification_handle

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
PASSWORD = "802417"
WALLET_PAGES = [
    "storefront:member_wallet",
    "storefront:member_payment_password",
    "storefront:member_withdrawals",
]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(client):
    user = UserFactory(real_name="李四", mobile="13900000001")
    client.force_login(user)
    return user


def top_up(member, amount: str, reference: str = "t1") -> None:
    post_wallet_topup(member=member, gateway="alipay", reference=reference, amount=Decimal(amount))


def page(client, name: str, **query) -> str:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize("name", WALLET_PAGES)
def test_wallet_pages_are_for_members_only(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("storefront:login")


def test_the_wallet_shows_the_balance_and_the_statement_with_its_running_balance(client, member):
    top_up(member, "500.00", "t1")
    top_up(member, "120.50", "t2")

    html = page(client, "storefront:member_wallet")

    assert "¥620.50" in html
    assert html.count("钱包充值") == 2
    assert "+120.50</td>" in html and ">620.50</td>" in html and ">500.00</td>" in html
    assert html.index("620.50</td>") < html.index(">500.00</td>")  # newest first
    assert reverse("storefront:wallet_terms") in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_wallet_page_costs_the_same_queries_for_1_and_20_entries(
    client, member, count, django_assert_max_num_queries
):
    for number in range(count):
        top_up(member, "1.00", f"t{number}")
    with django_assert_max_num_queries(12):
        html = page(client, "storefront:member_wallet")
    assert html.count("钱包充值") == count


def test_a_top_up_goes_to_the_sandbox_alipay_and_only_its_notification_credits_the_wallet(
    client, member
):
    response = client.post(
        reverse("storefront:member_wallet_topup"), {"amount": "300.00", "method": "alipay"}
    )
    redirect = urlsplit(response.url)
    assert redirect.path == "/payments/sandbox/alipay/gateway.do"
    payment = Payment.objects.get()
    assert (payment.purpose, payment.amount, payment.channel) == (
        "wallet_topup",
        Decimal("300.00"),
        "alipay_page",
    )
    # Back from the cashier before the notification: nothing credited.
    back = client.get(reverse("storefront:member_wallet_topup_done"), {"trade_status": "x"})
    assert back.url == reverse("storefront:member_wallet")
    assert chart.member_wallet(member).balance == Decimal("0.00")

    sandbox_alipay.open_cashier(redirect.query)
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
    payment_notification_handle(provider="alipay", body=body.encode(), headers={})
    assert "¥300.00" in page(client, "storefront:member_wallet")


def test_a_top_up_beyond_the_limit_is_refused_on_the_page(client, member):
    response = client.post(
        reverse("storefront:member_wallet_topup"), {"amount": "5000.01", "method": "alipay"}
    )
    assert response.status_code == 200
    assert "单次充值不能超过 ¥5000.00。" in unescape(response.content.decode())
    assert not Payment.objects.exists()


def test_setting_the_payment_password_needs_the_login_password(client, member):
    url = reverse("storefront:member_payment_password")
    response = client.post(url, {"password": "802417", "login_password": "wrong-password"})
    assert "密码错误，还可尝试 4 次。" in unescape(response.content.decode())
    assert not PaymentPassword.objects.get(user=member).password_hash.startswith("pbkdf2")

    response = client.post(url, {"password": "123456", "login_password": DEFAULT_PASSWORD})
    assert "支付密码过于简单" in unescape(response.content.decode())

    response = client.post(url, {"password": "802417", "login_password": DEFAULT_PASSWORD})
    assert response.url == reverse("storefront:member_wallet")
    assert "修改支付密码" in page(client, "storefront:member_wallet")


def test_the_payment_password_can_be_set_with_an_sms_code(client, member, committed):
    url = reverse("storefront:member_payment_password")
    with committed():
        response = client.post(url, {"action": "send_code", "password": "802417"})
    assert "验证码已发送" in unescape(response.content.decode())
    code = last_sms_code(member.mobile)

    response = client.post(url, {"password": "802417", "code": code})

    assert response.url == reverse("storefront:member_wallet")
    wallet_check_payment_password(user=member, password="802417")


def test_a_withdrawal_holds_the_money_and_cancelling_it_returns_it(client, member):
    top_up(member, "500.00")
    wallet_set_payment_password(user=member, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    url = reverse("storefront:member_withdrawals")
    form = {
        "amount": "200.00",
        "channel": "alipay",
        "payee_name": "李四",
        "payee_account": "lisi@example.com",
        "password": "111112",
    }
    response = client.post(url, form)
    assert "密码错误" in unescape(response.content.decode())
    assert not Withdrawal.objects.exists()

    assert client.post(url, form | {"password": PASSWORD}).url == url
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.amount, withdrawal.status) == (Decimal("200.00"), "requested")
    assert chart.member_wallet(member).balance == Decimal("300.00")
    html = page(client, "storefront:member_withdrawals")
    assert f'data-withdrawal="{withdrawal.number}"' in html and "待审核" in html and "撤销" in html

    cancel = reverse("storefront:member_withdrawal_cancel", args=[withdrawal.number])
    client.force_login(UserFactory())
    assert client.post(cancel).status_code == 404
    assert Withdrawal.objects.get().status == "requested"

    client.force_login(member)
    assert client.post(cancel).url == url
    assert Withdrawal.objects.get().status == "cancelled"
    assert chart.member_wallet(member).balance == Decimal("500.00")
    assert "已撤销" in page(client, "storefront:member_withdrawals")


def test_the_wallet_terms_state_the_refund_of_the_unused_balance(client):
    html = page(client, "storefront:wallet_terms")
    assert "未使用的余额，您可随时" in html and "5000.00 元" in html


# --- Paying from the wallet at the cashier ---------------------------------------------------


@pytest.fixture
def mall(regions) -> Mall:
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 2)
    return mall


def test_the_cashier_offers_the_wallet_only_when_it_covers_the_amount(client, mall):
    checkout = buy(mall, mall.sku_m, 2, pickup=mall.store_a)
    client.force_login(mall.buyer)
    pay_url = reverse("storefront:pay", args=[checkout.number])
    top_up(mall.buyer, "100.00")

    html = unescape(client.get(pay_url).content.decode())
    assert '可用余额 <strong class="price">¥100.00' in html
    assert "余额不足，请先充值或选择其他支付方式。" in html
    assert 'name="password"' not in html

    top_up(mall.buyer, "2460.00", "t2")
    html = unescape(client.get(pay_url).content.decode())
    assert "请先设置支付密码。" in html

    wallet_set_payment_password(user=mall.buyer, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    html = unescape(client.get(pay_url).content.decode())
    assert 'name="password"' in html and "余额支付 ¥2560.00" in html


def test_paying_from_the_wallet_at_the_cashier(client, mall):
    checkout = buy(mall, mall.sku_m, 2, pickup=mall.store_a)
    client.force_login(mall.buyer)
    top_up(mall.buyer, "3000.00")
    wallet_set_payment_password(user=mall.buyer, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    url = reverse("storefront:pay_wallet", args=[checkout.number])

    response = client.post(url, {"password": "111112"})
    assert "密码错误，还可尝试 4 次。" in unescape(response.content.decode())
    assert checkout.orders.get().status == Order.Status.AWAITING_PAYMENT
    assert not Journal.objects.filter(kind="wallet_payment").exists()

    response = client.post(url, {"password": PASSWORD})
    assert response.url == reverse("storefront:pay_result", args=[checkout.number])
    assert checkout.orders.get().status == Order.Status.PAID
    assert chart.member_wallet(mall.buyer).balance == Decimal("440.00")
    html = unescape(client.get(response.url).content.decode())
    assert 'data-pay-result="paid"' in html

    # Another member cannot pay this checkout from their wallet.
    client.force_login(UserFactory())
    assert client.post(url, {"password": PASSWORD}).status_code == 404


def test_the_wallet_and_its_terms_speak_english_at_en(client, member):
    top_up(member, "500.00")
    html = unescape(client.get("/en/member/wallet/").content.decode())
    assert "Rongyi Pay balance" in html and "Wallet top-up" in html and "绒易付" not in html
    assert "Statement" in html and "Top up now" in html
    terms = unescape(client.get("/en/wallet/terms/").content.decode())
    assert "5. Refund of the balance" in terms and "free of charge" in terms
