"""The wallet through the API: balance, statement with its running balance, top-up start,
payment password, withdrawals and paying a checkout; refusals change nothing."""

import json
from decimal import Decimal

import pytest
import time_machine

from rongcheng.accounts.models import SmsCode
from rongcheng.cart.services import bag_line_add
from rongcheng.checkout.tests.buying import place
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.ledger.models import Journal, PaymentPassword, Withdrawal
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.wallet import wallet_set_payment_password
from rongcheng.orders.models import Order
from rongcheng.payments.models import Payment

pytestmark = pytest.mark.django_db

API = "/api/wallet"
PASSWORD = "802417"


def _send(client, method, path, body=None):
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        yield


@pytest.fixture
def member_api(client, shop):
    client.force_login(shop.buyer)
    return client


def _top_up(buyer, amount: str, reference: str) -> None:
    post_wallet_topup(member=buyer, gateway="alipay", reference=reference, amount=Decimal(amount))


def test_balance_and_a_statement_with_its_running_balance_page_by_page(member_api, shop):
    assert member_api.get(API).json() == {"balance": "0.00", "has_payment_password": False}
    for n, amount in enumerate(("100.00", "50.00", "25.50")):
        _top_up(shop.buyer, amount, f"payment:T{n}")

    assert member_api.get(API).json() == {"balance": "175.50", "has_payment_password": False}
    first = member_api.get(f"{API}/statement?per_page=2").json()
    assert {key: first[key] for key in ("balance", "count", "page", "pages", "per_page")} == {
        "balance": "175.50",
        "count": 3,
        "page": 1,
        "pages": 2,
        "per_page": 2,
    }
    assert [
        (item["kind"], item["reference"], item["amount"], item["balance_after"])
        for item in first["items"]
    ] == [
        ("wallet_topup", "payment:T2", "25.50", "175.50"),
        ("wallet_topup", "payment:T1", "50.00", "150.00"),
    ]
    assert first["items"][0]["kind_label"] == "钱包充值"
    second = member_api.get(f"{API}/statement?per_page=2&page=2").json()
    assert [(item["amount"], item["balance_after"]) for item in second["items"]] == [
        ("100.00", "100.00")
    ]


def test_another_members_wallet_is_never_shown(member_api, shop):
    other = UserFactory(real_name="王五", mobile="13900000009")
    _top_up(other, "80.00", "payment:OTHER")
    assert member_api.get(API).json()["balance"] == "0.00"
    assert member_api.get(f"{API}/statement").json()["count"] == 0


def test_a_top_up_starts_a_gateway_payment_and_credits_nothing_yet(member_api, shop):
    response = _send(member_api, "post", "/topups", {"amount": "200.00", "channel": "alipay_qr"})

    assert response.status_code == 200
    body = response.json()
    payment = Payment.objects.get(out_trade_no=body["payment_number"])
    assert (payment.purpose, payment.buyer, payment.amount) == (
        "wallet_topup",
        shop.buyer,
        Decimal("200.00"),
    )
    assert (body["channel"], body["amount"]) == ("alipay_qr", "200.00")
    assert body["qr_code"] and not body["redirect_url"]
    assert member_api.get(API).json()["balance"] == "0.00"  # only the notification credits it


def test_a_top_up_above_the_limit_is_refused_and_starts_nothing(member_api, settings):
    settings.RONGCHENG = settings.RONGCHENG | {"WALLET_TOPUP_MAX": Decimal("5000.00")}
    response = _send(member_api, "post", "/topups", {"amount": "5000.01", "channel": "alipay_qr"})
    assert (response.status_code, response.json()["code"]) == (400, "topup_invalid")
    assert Payment.objects.count() == 0
    response = _send(member_api, "post", "/topups", {"amount": "0.00", "channel": "alipay_qr"})
    assert response.status_code == 422


def test_the_payment_password_is_set_with_the_login_password_and_changed_again(member_api, shop):
    wrong = _send(
        member_api,
        "put",
        "/payment-password",
        {"password": PASSWORD, "login_password": "not-the-password"},
    )
    assert (wrong.status_code, wrong.json()["code"]) == (403, "payment_password_incorrect")
    easy = _send(
        member_api,
        "put",
        "/payment-password",
        {"password": "123456", "login_password": DEFAULT_PASSWORD},
    )
    assert (easy.status_code, easy.json()["code"]) == (400, "payment_password_invalid")
    assert not PaymentPassword.objects.get(user=shop.buyer).password_hash.startswith("pbkdf2")

    done = _send(
        member_api,
        "put",
        "/payment-password",
        {"password": PASSWORD, "login_password": DEFAULT_PASSWORD},
    )
    assert done.json() == {"has_payment_password": True}
    assert member_api.get(API).json()["has_payment_password"] is True
    # The wrong try before the success is forgotten.
    assert PaymentPassword.objects.get(user=shop.buyer).failures == 0


def test_a_payment_password_code_goes_to_the_members_own_mobile(member_api, shop):
    response = _send(member_api, "post", "/payment-password/sms-codes")
    assert response.status_code == 200
    assert response.json()["resend_after"] > 0
    assert list(SmsCode.objects.values_list("mobile", "purpose")) == [
        ("13900000001", "payment_password")
    ]


def test_a_withdrawal_holds_its_amount_and_can_be_cancelled(member_api, shop):
    _top_up(shop.buyer, "300.00", "payment:W")
    wallet_set_payment_password(user=shop.buyer, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    request = {
        "amount": "120.00",
        "channel": "alipay",
        "payee_name": "李四",
        "payee_account": "lisi@example.com",
        "password": PASSWORD,
    }

    wrong = _send(member_api, "post", "/withdrawals", request | {"password": "802418"})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "payment_password_incorrect")
    too_much = _send(member_api, "post", "/withdrawals", request | {"amount": "300.01"})
    assert (too_much.status_code, too_much.json()["code"]) == (409, "insufficient_balance")
    assert Withdrawal.objects.count() == 0
    assert member_api.get(API).json()["balance"] == "300.00"

    created = _send(member_api, "post", "/withdrawals", request)
    assert created.status_code == 201
    number = created.json()["number"]
    assert {key: created.json()[key] for key in ("amount", "channel_label", "status")} == {
        "amount": "120.00",
        "channel_label": "支付宝",
        "status": "requested",
    }
    assert member_api.get(API).json()["balance"] == "180.00"
    listed = member_api.get(f"{API}/withdrawals").json()
    assert (listed["count"], listed["items"][0]["number"]) == (1, number)

    cancelled = _send(member_api, "post", f"/withdrawals/{number}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert member_api.get(API).json()["balance"] == "300.00"
    again = _send(member_api, "post", f"/withdrawals/{number}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "transition_not_allowed")
    missing = _send(member_api, "post", "/withdrawals/TX202603010000000000/cancel")
    assert missing.status_code == 404


@pytest.fixture
def placed(shop):
    """Two sweaters (¥2,560.00) to pick up at store A."""
    shop.stock(shop.store_a, shop.sku_m, 2)
    bag_line_add(user=shop.buyer, sku_id=shop.sku_m.id, quantity=2)
    return place(shop.buyer, pickup=shop.store_a)


def test_a_checkout_is_paid_from_the_wallet_with_the_payment_password(member_api, shop, placed):
    wallet_set_payment_password(user=shop.buyer, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    _top_up(shop.buyer, "2000.00", "payment:P1")
    pay = f"/checkouts/{placed.number}/pay"

    short = _send(member_api, "post", pay, {"password": PASSWORD})
    assert (short.status_code, short.json()["code"]) == (409, "insufficient_balance")
    _top_up(shop.buyer, "600.00", "payment:P2")
    wrong = _send(member_api, "post", pay, {"password": "802418"})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "payment_password_incorrect")
    assert Order.objects.get(checkout=placed).status == "awaiting_payment"
    assert not Journal.objects.filter(kind="wallet_payment").exists()

    paid = _send(member_api, "post", pay, {"password": PASSWORD})
    assert paid.status_code == 200
    assert paid.json()["number"] == placed.number
    assert [order["status"] for order in paid.json()["orders"]] == ["paid"]
    assert member_api.get(API).json()["balance"] == "40.00"
    again = _send(member_api, "post", pay, {"password": PASSWORD})
    assert (again.status_code, again.json()["code"]) == (409, "checkout_not_payable")
    assert member_api.get(API).json()["balance"] == "40.00"


def test_another_members_checkout_is_not_found(client, shop, placed):
    other = UserFactory(real_name="王五", mobile="13900000009")
    wallet_set_payment_password(user=other, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    _top_up(other, "3000.00", "payment:O")
    client.force_login(other)
    response = _send(client, "post", f"/checkouts/{placed.number}/pay", {"password": PASSWORD})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Order.objects.get(checkout=placed).status == "awaiting_payment"
