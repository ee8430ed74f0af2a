from decimal import Decimal

import pytest
import time_machine

from rongcheng.accounts.errors import IdentityIncomplete
from rongcheng.cart.models import BagLine
from rongcheng.cart.services import bag_line_add
from rongcheng.checkout.errors import CheckoutInvalid, LineUnavailable, PriceChanged
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.selectors import checkout_quote
from rongcheng.checkout.services import checkout_place
from rongcheng.checkout.tests.buying import buy, place
from rongcheng.core.testing.factories import UserFactory
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.services import fee_rule_save, fee_template_save
from rongcheng.inventory.models import Stock, StockMovement
from rongcheng.orders.models import Delivery, Order, OrderEvent, OrderLine

pytestmark = pytest.mark.django_db


def _nothing_written(mall, movements_before: int) -> None:
    assert Checkout.objects.count() == 0
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert OrderEvent.objects.count() == 0
    assert StockMovement.objects.count() == movements_before
    assert list(Stock.objects.values_list("reserved", flat=True).distinct()) == [0]


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
def test_a_pickup_checkout_becomes_an_order_of_the_pickup_store(mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    mall.stock(mall.store_b, mall.sku_m, 5)
    checkout = buy(mall, mall.sku_m, 2, pickup=mall.store_b, note="  下午三点来取  ")

    (order,) = checkout.orders.all()
    assert checkout.total == Decimal("2560.00")
    assert checkout.delivery == Delivery.PICKUP
    assert checkout.number.startswith("20260301") and len(checkout.number) == 20
    assert order.number.startswith("20260301") and order.number != checkout.number
    assert (order.store, order.status, order.note) == (
        mall.store_b,
        "awaiting_payment",
        "下午三点来取",
    )
    assert (order.subtotal, order.shipping_fee, order.total) == (
        Decimal("2560.00"),
        Decimal("0.00"),
        Decimal("2560.00"),
    )
    assert order.pay_due_at.isoformat() == "2026-03-01T02:30:00+00:00"
    (line,) = order.lines.all()
    assert (line.sku_code, line.quantity, line.unit_price, line.total) == (
        mall.sku_m.code,
        2,
        Decimal("1280.00"),
        Decimal("2560.00"),
    )
    assert list(order.events.values_list("from_status", "to_status")) == [("", "awaiting_payment")]
    stock = Stock.objects.get(store=mall.store_b, sku=mall.sku_m)
    assert (stock.on_hand, stock.reserved) == (5, 2)
    movement = StockMovement.objects.get(kind="reservation")
    assert (movement.store_id, movement.reserved_delta, movement.reserved_after) == (
        mall.store_b.id,
        2,
        2,
    )
    assert movement.reference == order.number
    assert not BagLine.objects.filter(bag__user=mall.buyer).exists()


def test_courier_lines_ship_from_the_nearest_store_in_the_city_one_order_per_store(mall):
    mall.stock(mall.store_a, mall.sku_m, 1)
    mall.stock(mall.store_b, mall.sku_m, 3)
    mall.stock(mall.store_b, mall.sku_l, 3)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_l.id, quantity=2)

    checkout = place(mall.buyer, address=mall.address)

    orders = {order.store_id: order for order in checkout.orders.all()}
    assert set(orders) == {mall.store_a.id, mall.store_b.id}  # A is nearer but has no L
    assert [line.sku_id for line in orders[mall.store_a.id].lines.all()] == [mall.sku_m.id]
    assert [(ln.sku_id, ln.quantity) for ln in orders[mall.store_b.id].lines.all()] == [
        (mall.sku_l.id, 2)
    ]
    assert orders[mall.store_a.id].recipient == "李四"
    assert orders[mall.store_a.id].district_id == "150602"
    assert checkout.total == Decimal("3840.00")


def test_a_repeated_submission_returns_the_same_checkout(mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    first = place(mall.buyer, address=mall.address, token="tok-1")
    again = checkout_place(
        buyer=mall.buyer,
        token="tok-1",
        delivery=Delivery.COURIER,
        address_id=mall.address.id,
        expected_total_fen=0,
    )
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert Stock.objects.get(store=mall.store_a, sku=mall.sku_m).reserved == 1


def test_a_changed_price_refuses_with_the_new_total_and_writes_nothing(mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=2)
    shown = checkout_quote(
        buyer=mall.buyer, delivery=Delivery.COURIER, address_id=mall.address.id
    ).priced.total_fen
    mall.sku_m.price = Decimal("1380.00")
    mall.sku_m.save()
    movements = StockMovement.objects.count()

    with pytest.raises(PriceChanged) as refused:
        checkout_place(
            buyer=mall.buyer,
            token="t",
            delivery=Delivery.COURIER,
            address_id=mall.address.id,
            expected_total_fen=shown,
        )

    assert shown == 256000
    assert refused.value.total_fen == 276000
    assert refused.value.as_dict()["total"] == "2760.00"
    _nothing_written(mall, movements)
    assert BagLine.objects.get(bag__user=mall.buyer).quantity == 2


def test_a_member_without_real_name_cannot_place(regions, mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    mall.buyer.real_name = ""
    mall.buyer.save()
    movements = StockMovement.objects.count()
    with pytest.raises(IdentityIncomplete):
        place(mall.buyer, address=mall.address)
    _nothing_written(mall, movements)
    assert BagLine.objects.filter(bag__user=mall.buyer).count() == 1


def test_a_line_that_cannot_be_reserved_refuses_the_whole_checkout(mall):
    mall.stock(mall.store_a, mall.sku_m, 5)
    mall.stock(mall.store_a, mall.sku_l, 1)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=2)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_l.id, quantity=1)
    total = checkout_quote(
        buyer=mall.buyer, delivery=Delivery.PICKUP, pickup_store_id=mall.store_a.id
    ).priced.total_fen
    # Another buyer takes the last L between the quote and the submission.
    other = UserFactory(real_name="王五")
    bag_line_add(user=other, sku_id=mall.sku_l.id)
    place(other, pickup=mall.store_a)
    orders, movements = Order.objects.count(), StockMovement.objects.count()

    with pytest.raises(LineUnavailable) as refused:
        checkout_place(
            buyer=mall.buyer,
            token="t",
            delivery=Delivery.PICKUP,
            pickup_store_id=mall.store_a.id,
            expected_total_fen=total,
        )

    assert mall.sku_l.code in refused.value.message
    assert Order.objects.count() == orders
    assert StockMovement.objects.count() == movements
    assert Stock.objects.get(store=mall.store_a, sku=mall.sku_m).reserved == 0
    assert Checkout.objects.filter(buyer=mall.buyer).count() == 0
    assert BagLine.objects.filter(bag__user=mall.buyer).count() == 2


def test_a_line_no_store_can_serve_is_refused_naming_the_sku(mall):
    mall.stock(mall.store_a, mall.sku_m, 1)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    with pytest.raises(LineUnavailable) as refused:
        place(mall.buyer, pickup=mall.store_b)
    assert mall.sku_m.code in refused.value.message
    assert Order.objects.count() == 0


def test_an_empty_selection_or_a_missing_address_is_refused(mall):
    with pytest.raises(CheckoutInvalid):
        place(mall.buyer, address=mall.address)
    mall.stock(mall.store_a, mall.sku_m, 1)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    other = UserFactory(real_name="王五")
    with pytest.raises(CheckoutInvalid):
        checkout_quote(buyer=other, delivery=Delivery.COURIER, address_id=mall.address.id)
    with pytest.raises(CheckoutInvalid):
        checkout_quote(buyer=mall.buyer, delivery=Delivery.COURIER, address_id=None)


@pytest.mark.django_db(transaction=True)
def test_placing_costs_twelve_statements_whatever_the_lines_and_stores(
    mall, django_assert_num_queries
):
    """BEGIN; the ticked lines with their SKUs, the address, the stock options; the checkout,
    the orders, the lines, the events (one INSERT each, for any number); emptying the bag;
    the reservation's UPDATE … RETURNING per stock row; the movements; COMMIT. The fee
    template comes from the cache the confirmation page warmed."""
    template = fee_template_save(
        template=ShippingFeeTemplate(name="按件计费", basis="piece", is_active=True)
    )
    fee_rule_save(
        rule=ShippingFeeRule(
            template=template,
            first_units=1,
            first_fee=Decimal("12.00"),
            additional_units=1,
            additional_fee=Decimal("5.00"),
        )
    )
    mall.stock(mall.store_a, mall.sku_m, 5)
    mall.stock(mall.store_b, mall.sku_l, 5)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=2)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_l.id, quantity=1)
    total = checkout_quote(
        buyer=mall.buyer, delivery=Delivery.COURIER, address_id=mall.address.id
    ).priced.total_fen

    with django_assert_num_queries(12 + 1) as placing:  # one reservation UPDATE per stock row
        checkout = checkout_place(
            buyer=mall.buyer,
            token="t-12",
            delivery=Delivery.COURIER,
            address_id=mall.address.id,
            expected_total_fen=total,
        )

    assert sorted(checkout.orders.values_list("store__code", "total")) == [
        ("ordos-a", Decimal("2577.00")),  # two pieces: ¥12 + ¥5
        ("ordos-b", Decimal("1292.00")),
    ]
    # The stock rows are locked last: from their UPDATEs to the commit, one INSERT between.
    assert [query["sql"].split()[:2] for query in placing.captured_queries[-4:]] == [
        ["UPDATE", "inventory_stock"],
        ["UPDATE", "inventory_stock"],
        ["INSERT", "INTO"],
        ["COMMIT"],
    ]
    assert "inventory_stockmovement" in placing.captured_queries[-2]["sql"]
    assert sorted(Stock.objects.values_list("sku__size", "reserved")) == [("L", 1), ("M", 2)]
    assert sorted(
        StockMovement.objects.filter(kind="reservation").values_list(
            "sku__size", "reserved_after", "on_hand_after"
        )
    ) == [("L", 1, 5), ("M", 2, 5)]
    # The same token again: the checkout placed, found by one look-up.
    with django_assert_num_queries(4):  # BEGIN, the empty bag, ROLLBACK, the look-up
        again = checkout_place(
            buyer=mall.buyer,
            token="t-12",
            delivery=Delivery.COURIER,
            address_id=mall.address.id,
            expected_total_fen=total,
        )
    assert again == checkout
