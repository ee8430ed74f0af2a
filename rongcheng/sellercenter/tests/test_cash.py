"""现金收款: a clerk records cash received at the counter for a checkout the store ships;
tenancy, refusals that leave nothing, and the cash refund of a cancelled order."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from rongcheng.checkout.models import Checkout
from rongcheng.checkout.tests.buying import Mall, buy, pay
from rongcheng.ledger import chart
from rongcheng.ledger.models import Journal
from rongcheng.ledger.selectors import balance_differences, unbalanced_journals
from rongcheng.notifications.models import Notice
from rongcheng.orders.models import Order
from rongcheng.orders.services import cancellation_accept, cancellation_request
from rongcheng.payments.models import EventSource, Payment, PaymentEvent, Refund, RefundStatus
from rongcheng.stores.models import StoreMembership
from rongcheng.stores.tests.factories import StoreMembershipFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
S = Order.Status
TOTAL = Decimal("2560.00")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def placed(mall) -> Checkout:
    """Two sweaters (¥2,560.00) to pick up, and pay for, at store A."""
    mall.stock(mall.store_a, mall.sku_m, 2)
    return buy(mall, mall.sku_m, 2, pickup=mall.store_a)


def page(client, mall: Mall, query: str, store=None) -> str:
    store = store or mall.store_a
    response = client.get(reverse("sellercenter:cash", args=[store.id]), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def take_cash(client, store, checkout: Checkout, amount: str, query: str = ""):
    return client.post(
        reverse("sellercenter:cash_pay", args=[store.id, checkout.number]),
        {"amount": amount, "q": query},
        follow=True,
    )


def assert_unpaid(checkout: Checkout) -> None:
    checkout.refresh_from_db()
    assert checkout.paid_at is None
    assert list(checkout.orders.values_list("status", flat=True)) == [S.AWAITING_PAYMENT]
    assert not Payment.objects.exists()
    assert not Journal.objects.exists()
    assert not Notice.objects.exists()


def test_the_clerk_finds_the_checkout_by_order_number_or_mobile_and_takes_the_cash(
    client, mall, placed, django_assert_max_num_queries
):
    order = placed.orders.get()
    client.force_login(mall.clerk_a)
    with django_assert_max_num_queries(20):
        html = page(client, mall, order.number)
    assert f'data-checkout="{placed.number}"' in html
    assert "经典圆领羊绒衫" in html and "¥2560.00" in html
    mall.stock(mall.store_a, mall.sku_l, 1)
    other = buy(mall, mall.sku_l, 1, pickup=mall.store_a)
    # The same queries however many checkouts the buyer's mobile finds.
    with django_assert_max_num_queries(20):
        html = page(client, mall, "13900000001")
    assert html.index(f'data-checkout="{other.number}"') < html.index(
        f'data-checkout="{placed.number}"'
    )

    response = take_cash(client, mall.store_a, placed, "2560.00", query=order.number)

    assert response.redirect_chain[-1][0].endswith(f"?q={order.number}")
    html = response.content.decode()
    assert f"已收取现金 ¥2560.00，结算单 {placed.number} 已付款。" in html
    assert f'data-checkout="{placed.number}"' not in html  # paid: no longer listed
    placed.refresh_from_db()
    payment = Payment.objects.get()
    assert (placed.payment_method, placed.payment_number, placed.amount_paid) == (
        "cash",
        payment.out_trade_no,
        TOTAL,
    )
    assert (payment.provider, payment.channel, payment.amount, payment.status) == (
        "cash",
        "cash_counter",
        TOTAL,
        "paid",
    )
    event = PaymentEvent.objects.get()
    assert (event.source, event.actor) == (EventSource.COUNTER, mall.clerk_a)
    order.refresh_from_db()
    assert (order.status, order.paid_at, order.payment_method) == (S.PAID, NOW, "cash")
    assert order.events.get(to_status=S.PAID).reason == "支付成功（门店现金）"
    # The same notice and badge as a gateway payment.
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind, notice.reference) == (
        mall.clerk_a,
        "new_order",
        order.number,
    )
    journal = Journal.objects.get()
    assert (journal.kind, journal.reference) == ("cash_payment", f"payment:{payment.out_trade_no}")
    assert sorted(
        (entry.account.kind, entry.account.store_id, entry.amount)
        for entry in journal.entries.select_related("account")
    ) == [
        ("store_cash", mall.store_a.id, -TOTAL),
        ("store_receivable", mall.store_a.id, TOTAL),
    ]
    assert balance_differences() == [] and unbalanced_journals() == []


def test_a_clerk_of_another_store_neither_finds_nor_pays_the_checkout(client, mall, placed):
    order = placed.orders.get()
    client.force_login(mall.clerk_b)

    assert f'data-checkout="{placed.number}"' not in page(client, mall, order.number, mall.store_b)
    assert "没有找到本店待付款的结算单。" in page(client, mall, order.number, mall.store_b)
    assert take_cash(client, mall.store_b, placed, "2560.00").status_code == 404
    assert take_cash(client, mall.store_a, placed, "2560.00").status_code == 404
    assert client.get(reverse("sellercenter:cash", args=[mall.store_a.id])).status_code == 404

    assert_unpaid(placed)


def test_store_roles_that_take_no_money_are_refused(client, mall, placed):
    client.force_login(
        StoreMembershipFactory(store=mall.store_a, role=StoreMembership.Role.FULFILLMENT).user
    )
    assert client.get(reverse("sellercenter:cash", args=[mall.store_a.id])).status_code == 403
    assert take_cash(client, mall.store_a, placed, "2560.00").status_code == 403
    assert_unpaid(placed)


@pytest.mark.parametrize("amount", ["2559.99", "2560.001", "abc", "NaN", ""])
def test_an_amount_other_than_the_one_due_is_refused_and_nothing_written(
    client, mall, placed, amount
):
    client.force_login(mall.clerk_a)

    html = take_cash(client, mall.store_a, placed, amount).content.decode()

    assert "与应收 ¥2560.00 不符" in html or "请输入收到的现金金额" in html
    assert_unpaid(placed)


def test_a_checkout_paid_already_is_refused(client, mall, placed):
    pay(placed, paid_at=NOW)
    client.force_login(mall.clerk_a)

    html = take_cash(client, mall.store_a, placed, "2560.00").content.decode()

    assert "该结算单已付款或已关闭，无需收款。" in html
    assert not Payment.objects.exists()
    assert not Journal.objects.exists()


def test_a_checkout_shipped_partly_by_another_store_is_not_the_counters(client, mall):
    mall.stock(mall.store_a, mall.sku_m, 1)
    mall.stock(mall.center, mall.sku_l, 1)
    mall.list(mall.center, mall.product)
    checkout = buy(mall, mall.sku_m, 1, pickup=mall.store_a)
    Order.objects.filter(checkout=checkout).update(store=mall.center)
    client.force_login(mall.clerk_a)

    assert f'data-checkout="{checkout.number}"' not in page(client, mall, "13900000001")
    assert take_cash(client, mall.store_a, checkout, "1280.00").status_code == 404
    assert_unpaid(checkout)


def test_cancelling_a_cash_paid_order_hands_the_cash_back_at_the_counter(
    client, mall, placed, committed
):
    client.force_login(mall.clerk_a)
    take_cash(client, mall.store_a, placed, "2560.00")
    order = placed.orders.get()
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="不想要了")

    with committed():
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.pk)

    refund = Refund.objects.get()
    assert (refund.request_id, refund.amount, refund.status, refund.provider_refund_id) == (
        f"cancel-{request.pk}",
        TOTAL,
        RefundStatus.SUCCEEDED,
        f"cash:cancel-{request.pk}",
    )
    journal = Journal.objects.get(kind="refund")
    assert sorted(
        (entry.account.kind, entry.account.store_id, entry.amount)
        for entry in journal.entries.select_related("account")
    ) == [
        ("store_cash", mall.store_a.id, TOTAL),
        ("store_receivable", mall.store_a.id, -TOTAL),
    ]
    assert not Journal.objects.filter(kind="refund_settled").exists()
    assert chart.store_cash(mall.store_a).balance == Decimal("0.00")
    assert chart.store_receivable(mall.store_a).balance == Decimal("0.00")
    assert balance_differences() == [] and unbalanced_journals() == []


def test_the_page_speaks_english(client, mall, placed):
    client.force_login(mall.clerk_a)
    html = client.get(
        "/en" + reverse("sellercenter:cash", args=[mall.store_a.id]),
        {"q": placed.orders.get().number},
    ).content.decode()
    assert "Cash at the counter" in html and "Take cash" in html
