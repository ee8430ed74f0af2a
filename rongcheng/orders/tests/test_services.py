import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from rongcheng.cart.services import bag_line_add
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.selectors import checkout_amount_due_fen
from rongcheng.checkout.tests.buying import buy, pay, place
from rongcheng.core.testing.factories import UserFactory
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.services import fee_rule_save
from rongcheng.inventory.models import Stock, StockMovement
from rongcheng.notifications.models import Notice
from rongcheng.notifications.selectors import notices_unread_count
from rongcheng.orders.errors import CancellationInvalid, OrderNotChangeable, OrderNotFound
from rongcheng.orders.models import CancellationRequest, Order, OrderEvent
from rongcheng.orders.refunds import RefundDue
from rongcheng.orders.services import (
    cancellation_accept,
    cancellation_refuse,
    cancellation_request,
    cancellations_accept_overdue,
    order_cancel,
    order_change,
    orders_close_unpaid,
)
from rongcheng.stores.errors import StoreAccessDenied

pytestmark = pytest.mark.django_db

S = Order.Status
PLACED = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
REFUNDS: list[RefundDue] = []


def record_refund(due: RefundDue) -> None:
    REFUNDS.append(due)


@pytest.fixture
def refunds(settings):
    settings.RONGCHENG = settings.RONGCHENG | {
        "ORDER_REFUND_HANDLER": "rongcheng.orders.tests.test_services.record_refund"
    }
    REFUNDS.clear()
    yield REFUNDS
    REFUNDS.clear()


def _reserved(store, sku) -> int:
    return Stock.objects.get(store=store, sku=sku).reserved


@pytest.fixture
def placed(mall):
    """Two unpaid orders placed at PLACED: 2 × M in store A, 1 × L in store B."""
    mall.stock(mall.store_a, mall.sku_m, 5)
    mall.stock(mall.store_b, mall.sku_l, 5)
    with time_machine.travel(PLACED, tick=False):
        first = buy(mall, mall.sku_m, 2, pickup=mall.store_a).orders.get()
        second = buy(mall, mall.sku_l, 1, pickup=mall.store_b).orders.get()
    return first, second


def test_unpaid_orders_close_after_thirty_minutes_and_release_their_stock(mall, placed):
    first, second = placed
    with time_machine.travel(PLACED + datetime.timedelta(minutes=29, seconds=59), tick=False):
        assert orders_close_unpaid() == 0
    assert _reserved(mall.store_a, mall.sku_m) == 2
    with time_machine.travel(PLACED + datetime.timedelta(minutes=30), tick=False):
        assert orders_close_unpaid() == 2
        assert orders_close_unpaid() == 0  # idempotent
    assert set(Order.objects.values_list("status", flat=True)) == {S.CLOSED}
    assert _reserved(mall.store_a, mall.sku_m) == 0
    assert _reserved(mall.store_b, mall.sku_l) == 0
    releases = StockMovement.objects.filter(kind="release").order_by("sku_id")
    assert [(m.reference, m.reserved_delta, m.reserved_after) for m in releases] == [
        (first.number, -2, 0),
        (second.number, -1, 0),
    ]
    first.refresh_from_db()
    assert first.closed_at == PLACED + datetime.timedelta(minutes=30)
    assert first.events.last().to_status == S.CLOSED


def test_the_close_leaves_paid_orders_alone(mall, placed):
    _first, second = placed
    pay(second.checkout, paid_at=PLACED, method="alipay")
    with time_machine.travel(PLACED + datetime.timedelta(hours=1), tick=False):
        assert orders_close_unpaid() == 1
    assert Order.objects.get(pk=second.pk).status == S.PAID
    assert _reserved(mall.store_b, mall.sku_l) == 1


def test_the_buyer_cancels_an_unpaid_order_and_its_stock_is_released(mall, placed):
    first, _second = placed
    order_cancel(buyer=mall.buyer, number=first.number, reason="不想要了")
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    assert _reserved(mall.store_a, mall.sku_m) == 0
    assert first.events.last().reason == "不想要了"
    with pytest.raises(OrderNotFound):
        order_cancel(buyer=UserFactory(), number=first.number)


def test_paying_a_checkout_pays_its_orders_and_tells_the_store(
    mall, placed, django_capture_on_commit_callbacks
):
    first, _second = placed
    with django_capture_on_commit_callbacks() as pushes:
        outcome = pay(first.checkout, paid_at=PLACED, method="alipay")
    assert (outcome.paid, outcome.refund_fen) == ((first.number,), 0)
    first.refresh_from_db()
    assert (first.status, first.paid_at, first.payment_method) == (S.PAID, PLACED, "alipay")
    notice = Notice.objects.get()
    assert (notice.recipient, notice.reference, notice.kind) == (
        mall.clerk_a,
        first.number,
        "new_order",
    )
    assert notices_unread_count(user=mall.clerk_a, kind="new_order") == 1
    assert notices_unread_count(user=mall.clerk_b, kind="new_order") == 0
    assert len(pushes) == 1  # the WebSocket push waits for the commit
    # The same notification again changes nothing.
    again = pay(first.checkout, paid_at=PLACED, method="alipay")
    assert again == outcome
    assert Notice.objects.count() == 1
    assert first.events.filter(to_status=S.PAID).count() == 1


def test_a_payment_after_the_close_revives_the_order_when_the_stock_is_still_there(mall, placed):
    first, _second = placed
    with time_machine.travel(PLACED + datetime.timedelta(minutes=31), tick=False):
        orders_close_unpaid()
        outcome = pay(first.checkout, paid_at=PLACED, method="wechat")
    assert (outcome.paid, outcome.refund_fen) == ((first.number,), 0)
    assert Order.objects.get(pk=first.pk).status == S.PAID
    assert _reserved(mall.store_a, mall.sku_m) == 2


def test_a_payment_after_the_close_is_to_be_refunded_when_the_stock_is_gone(mall, placed):
    first, _second = placed
    with time_machine.travel(PLACED + datetime.timedelta(minutes=31), tick=False):
        orders_close_unpaid()
    other = UserFactory(real_name="王五")
    mall.buyer = other
    buy(mall, mall.sku_m, 5, pickup=mall.store_a)
    outcome = pay(first.checkout, paid_at=PLACED, method="wechat")
    assert outcome.paid == ()
    assert outcome.refund_fen == 256000 and outcome.needs_refund
    assert Order.objects.get(pk=first.pk).status == S.CLOSED
    assert _reserved(mall.store_a, mall.sku_m) == 5


def test_an_order_cancelled_before_the_money_came_is_refunded_from_the_payment(mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    mall.stock(mall.store_b, mall.sku_l, 5)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_l.id)
    checkout = place(mall.buyer, address=mall.address)
    first, second = checkout.orders.order_by("store_id")
    assert checkout_amount_due_fen(checkout=checkout) == 256000
    order_cancel(buyer=mall.buyer, number=first.number)
    assert checkout_amount_due_fen(checkout=checkout) == 128000

    outcome = pay(checkout, paid_at=PLACED, amount_fen=256000)

    assert (outcome.paid, outcome.refund_fen) == ((second.number,), 128000)
    assert pay(checkout, paid_at=PLACED, amount_fen=256000) == outcome
    checkout.refresh_from_db()
    assert (checkout.amount_paid, checkout.refund_due) == (Decimal("2560.00"), Decimal("1280.00"))


def test_a_payment_short_of_what_is_due_pays_nothing_and_goes_back_whole(mall, placed):
    first, _second = placed
    outcome = pay(first.checkout, paid_at=PLACED, amount_fen=255999)
    assert (outcome.paid, outcome.refund_fen) == ((), 255999)
    assert Order.objects.get(pk=first.pk).status == S.AWAITING_PAYMENT
    assert Checkout.objects.get(pk=first.checkout_id).paid_at is None


def test_a_late_payment_revives_a_closed_order_only_if_it_paid_for_it(mall, placed):
    first, _second = placed
    with time_machine.travel(PLACED + datetime.timedelta(minutes=31), tick=False):
        orders_close_unpaid()
    outcome = pay(first.checkout, paid_at=PLACED, amount_fen=1000)
    assert (outcome.paid, outcome.refund_fen) == ((), 1000)
    assert Order.objects.get(pk=first.pk).status == S.CLOSED
    assert _reserved(mall.store_a, mall.sku_m) == 0


def _paid(mall, placed):
    first, _second = placed
    pay(first.checkout, paid_at=PLACED, method="alipay")
    return first


def test_the_store_accepts_a_cancellation_and_the_refund_is_asked_after_commit(
    mall, placed, refunds, django_capture_on_commit_callbacks
):
    order = _paid(mall, placed)
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")
    with pytest.raises(CancellationInvalid):
        cancellation_request(buyer=mall.buyer, number=order.number, reason="再次申请")
    with django_capture_on_commit_callbacks(execute=True):
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.id)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("accepted", mall.clerk_a)
    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    assert _reserved(mall.store_a, mall.sku_m) == 0
    assert refunds == [
        RefundDue(
            key=f"cancel-{request.id}",
            checkout_number=order.checkout.number,
            order_number=order.number,
            amount=Decimal("2560.00"),
            reason="买错尺码",
        )
    ]


def test_without_a_refund_service_no_cancellation_is_accepted(mall, placed, settings):
    settings.RONGCHENG = settings.RONGCHENG | {"ORDER_REFUND_HANDLER": ""}
    order = _paid(mall, placed)
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")
    with pytest.raises(ImproperlyConfigured):
        cancellation_accept(actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.id)
    assert Order.objects.get(pk=order.pk).status == S.PAID
    assert CancellationRequest.objects.get().status == "pending"


def test_the_store_refuses_with_a_reason_and_another_store_cannot_touch_it(mall, placed, refunds):
    order = _paid(mall, placed)
    request = cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")
    with pytest.raises(StoreAccessDenied):
        cancellation_accept(actor=mall.clerk_b, store_id=mall.store_a.id, request_id=request.id)
    with pytest.raises(CancellationInvalid):
        # Store B's clerk, acting for store B, does not find store A's request.
        cancellation_refuse(
            actor=mall.clerk_b, store_id=mall.store_b.id, request_id=request.id, answer="不"
        )
    with pytest.raises(CancellationInvalid):
        cancellation_refuse(
            actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.id, answer=" "
        )
    cancellation_refuse(
        actor=mall.clerk_a, store_id=mall.store_a.id, request_id=request.id, answer="已打包发出"
    )
    request.refresh_from_db()
    assert (request.status, request.answer) == ("refused", "已打包发出")
    assert Order.objects.get(pk=order.pk).status == S.PAID
    assert refunds == []


def test_an_unanswered_request_is_accepted_after_48_hours(mall, placed, refunds):
    order = _paid(mall, placed)
    with time_machine.travel(PLACED, tick=False):
        cancellation_request(buyer=mall.buyer, number=order.number, reason="买错尺码")
    with time_machine.travel(PLACED + datetime.timedelta(hours=47, minutes=59), tick=False):
        assert cancellations_accept_overdue() == 0
    with time_machine.travel(PLACED + datetime.timedelta(hours=48), tick=False):
        assert cancellations_accept_overdue() == 1
        assert cancellations_accept_overdue() == 0
    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.to_status, event.actor) == (S.CANCELLED, None)


def test_only_a_paid_unshipped_order_can_be_asked_to_cancel(mall, placed):
    first, _second = placed
    with pytest.raises(CancellationInvalid):
        cancellation_request(buyer=mall.buyer, number=first.number, reason="不想要了")
    assert CancellationRequest.objects.count() == 0


@pytest.fixture
def fees(regions):
    template = ShippingFeeTemplate.objects.create(name="标准", basis="piece", is_active=True)
    ShippingFeeRule.objects.create(
        template=template,
        first_units=1,
        first_fee=Decimal("10.00"),
        additional_units=1,
        additional_fee=Decimal("5.00"),
    )
    ShippingFeeRule.objects.create(
        template=template,
        region=regions["110000"],
        first_units=1,
        first_fee=Decimal("15.00"),
        additional_units=1,
        additional_fee=Decimal("5.00"),
    )
    return template


def test_the_buyer_changes_note_and_address_of_an_unpaid_order_at_the_same_fee(mall, fees, regions):
    mall.stock(mall.store_a, mall.sku_m, 5)
    order = buy(mall, mall.sku_m, 2, address=mall.address).orders.get()
    assert order.shipping_fee == Decimal("15.00")
    order_change(buyer=mall.buyer, number=order.number, note="请用顺丰")
    with pytest.raises(OrderNotChangeable):
        order_change(buyer=mall.buyer, number=order.number, address_id=mall.beijing_address.id)
    order.refresh_from_db()
    assert (order.note, order.city_id) == ("请用顺丰", "150600")
    # A fee rule of the same amount for Beijing: the new address is accepted.
    beijing = ShippingFeeRule.objects.get(region=regions["110000"])
    beijing.first_fee = Decimal("10.00")
    fee_rule_save(rule=beijing)
    order_change(buyer=mall.buyer, number=order.number, address_id=mall.beijing_address.id)
    order.refresh_from_db()
    assert (order.city_id, order.address_detail, order.total) == (
        "110100",
        "王府井大街 8 号",
        Decimal("2575.00"),
    )


def test_a_paid_order_cannot_be_changed(mall, placed):
    order = _paid(mall, placed)
    with pytest.raises(OrderNotChangeable):
        order_change(buyer=mall.buyer, number=order.number, note="改留言")
    assert Order.objects.get(pk=order.pk).note == ""
