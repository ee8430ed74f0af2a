"""Two clerks pressing 收取现金 for the same checkout at once take the cash once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from rongcheng.checkout.counter import checkout_pay_cash
from rongcheng.checkout.errors import CheckoutNotPayable
from rongcheng.checkout.tests.buying import build_mall, buy
from rongcheng.ledger.models import Journal
from rongcheng.orders.models import Order
from rongcheng.payments.models import Payment
from rongcheng.stores.tests.factories import StoreMembershipFactory

CLERKS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cash_for_one_checkout_is_taken_once(regions):
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 2)
    checkout = buy(mall, mall.sku_m, 2, pickup=mall.store_a)
    clerks = [StoreMembershipFactory(store=mall.store_a).user for _ in range(CLERKS)]
    start = threading.Barrier(CLERKS)
    outcomes: list[str] = []

    def take(clerk) -> None:
        try:
            start.wait()
            checkout_pay_cash(
                actor=clerk,
                store_id=mall.store_a.id,
                checkout_number=checkout.number,
                amount=Decimal("2560.00"),
            )
            outcomes.append("paid")
        except CheckoutNotPayable:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["paid"] + ["refused"] * (CLERKS - 1)
    assert Payment.objects.count() == 1
    assert Journal.objects.filter(kind="cash_payment").count() == 1
    assert Order.objects.get(checkout=checkout).status == Order.Status.PAID
