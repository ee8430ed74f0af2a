import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from rongcheng.cart.models import Bag, BagLine
from rongcheng.checkout.errors import CheckoutNotPayable, LineUnavailable
from rongcheng.checkout.paying import checkout_pay_from_wallet
from rongcheng.checkout.services import checkout_place
from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.inventory.errors import InsufficientStock
from rongcheng.inventory.models import Stock, StockMovement
from rongcheng.ledger import chart
from rongcheng.ledger.models import Journal
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.wallet import wallet_set_payment_password
from rongcheng.orders.models import Delivery, Order

BUYERS = 200
UNITS = 50
# Connections the threads hold at once; PostgreSQL allows 100 by default.
WORKERS = 32


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_buyers_racing_for_50_units_give_exactly_50_orders(regions):
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, UNITS)
    buyers = [UserFactory(real_name=f"买家{n}", password=None) for n in range(BUYERS)]
    bags = Bag.objects.bulk_create(Bag(user=buyer) for buyer in buyers)
    BagLine.objects.bulk_create(BagLine(bag=bag, sku=mall.sku_m, quantity=1) for bag in bags)

    def attempt(buyer) -> str:
        try:
            checkout_place(
                buyer=buyer,
                token=f"race-{buyer.pk}",
                delivery=Delivery.PICKUP,
                pickup_store_id=mall.store_a.id,
                expected_total_fen=128000,
            )
            return "ordered"
        except (InsufficientStock, LineUnavailable):
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(attempt, buyers))

    assert outcomes.count("ordered") == UNITS
    assert outcomes.count("refused") == BUYERS - UNITS
    stock = Stock.objects.get(store=mall.store_a, sku=mall.sku_m)
    assert (stock.on_hand, stock.reserved) == (UNITS, UNITS)
    assert Order.objects.count() == UNITS
    assert StockMovement.objects.filter(kind="reservation").count() == UNITS
    ordered = set(Order.objects.values_list("buyer_id", flat=True))
    # The refused buyers keep their bag; the others' line left it.
    assert (
        set(BagLine.objects.values_list("bag__user_id", flat=True))
        == {buyer.pk for buyer in buyers} - ordered
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_token_submitted_at_once_places_one_checkout(regions):
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 10)
    BagLine.objects.create(bag=Bag.objects.create(user=mall.buyer), sku=mall.sku_m, quantity=1)
    start = threading.Barrier(4)

    def submit(_n) -> int:
        try:
            start.wait(timeout=30)
            return checkout_place(
                buyer=mall.buyer,
                token="double-click",
                delivery=Delivery.PICKUP,
                pickup_store_id=mall.store_a.id,
                expected_total_fen=128000,
            ).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        checkouts = set(pool.map(submit, range(4)))

    assert len(checkouts) == 1
    assert Order.objects.count() == 1
    assert Stock.objects.get(store=mall.store_a, sku=mall.sku_m).reserved == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_paying_one_checkout_from_the_wallet_at_once_debits_the_wallet_once(regions):
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 1)
    BagLine.objects.create(bag=Bag.objects.create(user=mall.buyer), sku=mall.sku_m, quantity=1)
    checkout = checkout_place(
        buyer=mall.buyer,
        token="wallet",
        delivery=Delivery.PICKUP,
        pickup_store_id=mall.store_a.id,
        expected_total_fen=128000,
    )
    post_wallet_topup(
        member=mall.buyer, gateway="alipay", reference="race", amount=Decimal("2000.00")
    )
    wallet_set_payment_password(user=mall.buyer, password="802417", login_password=DEFAULT_PASSWORD)
    start = threading.Barrier(4)

    def pay(_n) -> str:
        try:
            start.wait(timeout=30)
            checkout_pay_from_wallet(
                buyer=mall.buyer, checkout_number=checkout.number, password="802417"
            )
            return "paid"
        except CheckoutNotPayable:
            return "already paid"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(pay, range(4)))

    assert "paid" in outcomes and set(outcomes) <= {"paid", "already paid"}
    assert chart.member_wallet(mall.buyer).balance == Decimal("720.00")
    assert Journal.objects.filter(kind="wallet_payment").count() == 1
    assert Order.objects.get().status == Order.Status.PAID
