import itertools

import pytest

from rongcheng.checkout.tests.buying import buy
from rongcheng.orders.errors import TransitionNotAllowed
from rongcheng.orders.models import Order, OrderEvent
from rongcheng.orders.state import TRANSITIONS, transition, transition_many

pytestmark = pytest.mark.django_db

S = Order.Status
ALLOWED = {
    (S.AWAITING_PAYMENT, S.PAID),
    (S.AWAITING_PAYMENT, S.CANCELLED),
    (S.AWAITING_PAYMENT, S.CLOSED),
    (S.PAID, S.SHIPPED),
    (S.PAID, S.CANCELLED),
    (S.SHIPPED, S.RECEIVED),
    (S.RECEIVED, S.COMPLETED),
    (S.CLOSED, S.PAID),
}
STAMP = {
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.RECEIVED: "received_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
    S.CLOSED: "closed_at",
}


def test_the_table_is_exactly_the_lifecycle():
    table = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(S.values)


@pytest.fixture
def order(mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    return buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()


def _put(order: Order, status: str) -> None:
    # Test set-up only: place the order in the state under test.
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_every_allowed_step_saves_stamps_and_logs(order, mall, source, target):
    _put(order, source)
    events = OrderEvent.objects.count()
    transition(order, to=target, actor=mall.clerk_a, reason="测试")
    order.refresh_from_db()
    assert order.status == target
    assert getattr(order, STAMP[target]) is not None
    event = OrderEvent.objects.latest("id")
    assert OrderEvent.objects.count() == events + 1
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        source,
        target,
        mall.clerk_a,
        "测试",
    )


REFUSED = sorted(set(itertools.product(S.values, S.values)) - ALLOWED)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_other_step_is_refused_and_changes_nothing(order, source, target):
    _put(order, source)
    events = OrderEvent.objects.count()
    with pytest.raises(TransitionNotAllowed):
        transition(order, to=target, actor=None)
    order.refresh_from_db()
    assert order.status == source
    assert getattr(order, STAMP.get(target, "paid_at")) is None
    assert OrderEvent.objects.count() == events


def test_an_expected_state_guards_the_step(order):
    with pytest.raises(TransitionNotAllowed):
        transition(order, to=S.CANCELLED, actor=None, expect=[S.PAID])
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_PAYMENT


def test_a_set_moves_only_the_orders_that_may_take_the_step(mall, order):
    mall.stock(mall.store_a, mall.sku_l, 5)
    other = buy(mall, mall.sku_l, pickup=mall.store_a).orders.get()
    _put(other, S.PAID)
    moved = transition_many(order_ids=[order.id, other.id], to=S.CLOSED, actor=None, reason="超时")
    assert moved == [order.id]
    assert dict(Order.objects.values_list("id", "status")) == {order.id: S.CLOSED, other.id: S.PAID}
    assert list(
        OrderEvent.objects.filter(to_status=S.CLOSED).values_list("order_id", flat=True)
    ) == [order.id]
    # Again: nothing left to move, nothing logged.
    assert transition_many(order_ids=[order.id, other.id], to=S.CLOSED, actor=None) == []
    assert OrderEvent.objects.filter(to_status=S.CLOSED).count() == 1


def test_events_are_never_changed_or_deleted(order):
    event = order.events.get()
    with pytest.raises(TypeError):
        OrderEvent.objects.filter(pk=event.pk).update(reason="改写")
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        OrderEvent.objects.all().delete()
    assert OrderEvent.objects.get().reason == ""
