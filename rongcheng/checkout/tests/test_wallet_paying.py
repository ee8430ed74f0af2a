"""Paying a checkout from the buyer's wallet (绒易付) and refunding its cancellations there."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from rongcheng.cart.services import bag_line_add
from rongcheng.checkout.errors import CheckoutNotPayable
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import checkout_pay_from_wallet, order_refund
from rongcheng.checkout.tests.buying import Mall, buy
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.errors import (
    InsufficientBalance,
    PaymentPasswordIncorrect,
    PaymentPasswordNotSet,
)
from rongcheng.ledger.models import Journal, PaymentPassword
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.wallet import wallet_set_payment_password
from rongcheng.orders.models import Order
from rongcheng.orders.refunds import RefundDue
from rongcheng.orders.services import cancellation_accept, cancellation_request
from rongcheng.payments.models import Payment

pytestmark = pytest.mark.django_db

S = Order.Status
NOW = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
PASSWORD = "802417"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def top_up(mall: Mall, amount: str) -> None:
    post_wallet_topup(
        member=mall.buyer, gateway="alipay", reference=f"test-{amount}", amount=Decimal(amount)
    )


@pytest.fixture
def placed(mall) -> Checkout:
    """Two sweaters (¥2,560.00) to pick up at store A; a payment password set."""
    mall.stock(mall.store_a, mall.sku_m, 2)
    wallet_set_payment_password(user=mall.buyer, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    return buy(mall, mall.sku_m, 2, pickup=mall.store_a)


def wallet(mall: Mall) -> Decimal:
    return chart.member_wallet(mall.buyer).balance


def journal_legs(journal: Journal) -> list[tuple[str, int | None, Decimal]]:
    return sorted(
        (entry.account.kind, entry.account.store_id, entry.amount)
        for entry in journal.entries.select_related("account")
    )


def test_paying_from_the_wallet_pays_the_orders_and_moves_the_money_to_the_store(mall, placed):
    top_up(mall, "3000.00")

    checkout = checkout_pay_from_wallet(
        buyer=mall.buyer, checkout_number=placed.number, password=PASSWORD
    )

    order = placed.orders.get()
    assert (order.status, order.payment_method, order.paid_at) == (S.PAID, "wallet", NOW)
    assert order.events.get(to_status=S.PAID).reason == "支付成功（绒易付余额）"
    assert (checkout.payment_method, checkout.payment_number, checkout.amount_paid) == (
        "wallet",
        f"wallet-{placed.number}",
        Decimal("2560.00"),
    )
    journal = Journal.objects.get(kind="wallet_payment")
    assert journal.reference == f"wallet:{placed.number}"
    assert journal_legs(journal) == [
        ("member_wallet", None, Decimal("-2560.00")),
        ("store_receivable", mall.store_a.id, Decimal("2560.00")),
    ]
    assert wallet(mall) == Decimal("440.00")
    assert not Payment.objects.exists()

    with pytest.raises(CheckoutNotPayable):
        checkout_pay_from_wallet(buyer=mall.buyer, checkout_number=placed.number, password=PASSWORD)
    assert wallet(mall) == Decimal("440.00")
    assert Journal.objects.filter(kind="wallet_payment").count() == 1


def _unchanged(mall: Mall, placed: Checkout, balance: str) -> None:
    order = placed.orders.get()
    assert (order.status, order.payment_method) == (S.AWAITING_PAYMENT, "")
    placed.refresh_from_db()
    assert (placed.paid_at, placed.payment_method, placed.payment_number) == (None, "", "")
    assert wallet(mall) == Decimal(balance)
    assert not Journal.objects.filter(kind="wallet_payment").exists()


def test_a_wrong_password_pays_nothing_and_is_counted(mall, placed):
    top_up(mall, "3000.00")

    with pytest.raises(PaymentPasswordIncorrect):
        checkout_pay_from_wallet(buyer=mall.buyer, checkout_number=placed.number, password="111112")

    _unchanged(mall, placed, "3000.00")
    assert PaymentPassword.objects.get(user=mall.buyer).failures == 1


def test_a_short_balance_pays_nothing_and_costs_no_password_try(mall, placed):
    top_up(mall, "2559.99")

    with pytest.raises(InsufficientBalance) as refused:
        checkout_pay_from_wallet(buyer=mall.buyer, checkout_number=placed.number, password="111112")

    assert refused.value.message == "绒易付余额 ¥2559.99，不足以支付 ¥2560.00。"
    _unchanged(mall, placed, "2559.99")
    assert PaymentPassword.objects.get(user=mall.buyer).failures == 0


def test_without_a_payment_password_or_as_another_buyer_nothing_is_paid(mall, placed):
    top_up(mall, "3000.00")
    PaymentPassword.objects.filter(user=mall.buyer).delete()

    with pytest.raises(PaymentPasswordNotSet):
        checkout_pay_from_wallet(buyer=mall.buyer, checkout_number=placed.number, password=PASSWORD)
    with pytest.raises(CheckoutNotPayable):
        checkout_pay_from_wallet(
            buyer=UserFactory(), checkout_number=placed.number, password=PASSWORD
        )

    _unchanged(mall, placed, "3000.00")


def test_an_accepted_cancellation_goes_back_to_the_wallet_once(mall, placed, committed):
    top_up(mall, "3000.00")
    checkout_pay_from_wallet(buyer=mall.buyer, checkout_number=placed.number, password=PASSWORD)
    order = placed.orders.get()
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")

    with committed():
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.pk)

    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    assert wallet(mall) == Decimal("3000.00")
    refund = Journal.objects.get(kind="refund")
    assert refund.reference == f"cancel-{request.pk}:{order.number}"
    assert journal_legs(refund) == [
        ("member_wallet", None, Decimal("2560.00")),
        ("store_receivable", mall.store_a.id, Decimal("-2560.00")),
    ]
    assert chart.store_receivable(mall.store_a).balance == Decimal("0.00")
    # Asked again (a retry of the hook): the wallet is credited once.
    order_refund(
        RefundDue(
            key=f"cancel-{request.pk}",
            checkout_number=placed.number,
            order_number=order.number,
            amount=Decimal("2560.00"),
            reason="买错尺码",
        )
    )
    assert wallet(mall) == Decimal("3000.00")
    assert Journal.objects.filter(kind="refund").count() == 1
    assert not Payment.objects.exists()


def test_a_checkout_split_over_two_stores_owes_each_store_its_order(mall):
    mall.stock(mall.store_a, mall.sku_m, 1)
    mall.stock(mall.store_b, mall.sku_l, 1)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    checkout = buy(mall, mall.sku_l, 1, address=mall.address)
    wallet_set_payment_password(user=mall.buyer, password=PASSWORD, login_password=DEFAULT_PASSWORD)
    top_up(mall, "5000.00")
    assert dict(checkout.orders.values_list("store_id", "total")) == {
        mall.store_a.id: Decimal("1280.00"),
        mall.store_b.id: Decimal("1280.00"),
    }

    checkout_pay_from_wallet(buyer=mall.buyer, checkout_number=checkout.number, password=PASSWORD)

    assert journal_legs(Journal.objects.get(kind="wallet_payment")) == [
        ("member_wallet", None, Decimal("-2560.00")),
        ("store_receivable", mall.store_a.id, Decimal("1280.00")),
        ("store_receivable", mall.store_b.id, Decimal("1280.00")),
    ]
    assert wallet(mall) == Decimal("2440.00")
    assert set(checkout.orders.values_list("status", flat=True)) == {S.PAID}
