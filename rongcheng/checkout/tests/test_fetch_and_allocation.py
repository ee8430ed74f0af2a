import datetime
from decimal import Decimal

import pytest

from rongcheng.cart.models import Bag, BagLine
from rongcheng.catalog.models import Sku
from rongcheng.checkout.allocation import assign_stores
from rongcheng.checkout.errors import LineUnavailable
from rongcheng.checkout.fetch import (
    CheckoutInfo,
    Destination,
    address_destination,
    bag_lines,
    checkout_info,
    pickup_destination,
)
from rongcheng.inventory.services import stock_receive
from rongcheng.stores.models import Store

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)


def _skus(mall, count: int) -> list[Sku]:
    skus = Sku.objects.bulk_create(
        Sku(product=mall.product, code=f"BULK{n:03d}", colour="灰", size=f"X{n}", price=100)
        for n in range(count)
    )
    stock_receive(actor=mall.admin, store_id=mall.store_a.id, lines=[(s.id, 5) for s in skus])
    stock_receive(actor=mall.admin, store_id=mall.center.id, lines=[(s.id, 5) for s in skus])
    return skus


def fetch_checkout(
    mall, *, quantities: list[tuple[int, int]], destination: Destination
) -> CheckoutInfo:
    """The buyer's bag holds exactly these ticked lines; what the checkout fetches of them."""
    bag, _new = Bag.objects.get_or_create(user=mall.buyer)
    BagLine.objects.filter(bag=bag).delete()
    BagLine.objects.bulk_create(
        BagLine(bag=bag, sku_id=sku_id, quantity=quantity) for sku_id, quantity in quantities
    )
    return checkout_info(lines=bag_lines(buyer=mall.buyer, now=NOW), destination=destination)


@pytest.mark.parametrize("count", [1, 30])
def test_the_fetch_costs_the_same_queries_for_1_or_30_lines(
    mall, count, django_assert_max_num_queries
):
    skus = _skus(mall, count)
    destination = address_destination(buyer=mall.buyer, address_id=mall.address.id)
    bag = Bag.objects.create(user=mall.buyer)
    BagLine.objects.bulk_create(BagLine(bag=bag, sku=sku, quantity=1) for sku in skus)
    with django_assert_max_num_queries(3):  # the lines with their SKUs, stock, fee template
        info = checkout_info(lines=bag_lines(buyer=mall.buyer, now=NOW), destination=destination)
    assert len(info.lines) == count
    assert len(info.options) == 2 * count
    assert info.lines[0].unit_price_fen == 10000


def test_courier_falls_back_to_the_nearest_fulfillment_center(mall, regions):
    second_center = Store.objects.create(
        code="fc-ordos",
        name="第二发货中心",
        kind=Store.Kind.FULFILLMENT,
        city=regions["110100"],
        address="x",
        latitude=Decimal("40.6"),
        longitude=Decimal("109.8"),
        phone="1",
    )
    mall.stock(mall.center, mall.sku_m, 5)
    mall.stock(second_center, mall.sku_m, 5)
    mall.stock(mall.beijing_shop, mall.sku_m, 5)  # in Beijing, not listed there
    ordos = address_destination(buyer=mall.buyer, address_id=mall.address.id)
    info = fetch_checkout(mall, quantities=[(mall.sku_m.id, 2)], destination=ordos)
    assert list(assign_stores(info)) == [second_center.id]  # ~90 km against ~550 km
    # In Beijing a fulfillment center of the city serves; the shop does not list the product.
    beijing = address_destination(buyer=mall.buyer, address_id=mall.beijing_address.id)
    info = fetch_checkout(mall, quantities=[(mall.sku_m.id, 2)], destination=beijing)
    assert list(assign_stores(info)) == [mall.center.id]
    mall.list(mall.beijing_shop, mall.product)
    info = fetch_checkout(mall, quantities=[(mall.sku_m.id, 2)], destination=beijing)
    assert list(assign_stores(info)) == [mall.beijing_shop.id]  # 0.7 km nearer than the center


def test_pickup_needs_the_store_to_sell_the_product_and_hold_the_units(mall):
    mall.stock(mall.beijing_shop, mall.sku_m, 5)
    mall.stock(mall.store_a, mall.sku_m, 1)
    for store, quantity in ((mall.beijing_shop, 1), (mall.store_a, 2)):
        info = fetch_checkout(
            mall,
            quantities=[(mall.sku_m.id, quantity)],
            destination=pickup_destination(store_id=store.id),
        )
        with pytest.raises(LineUnavailable):
            assign_stores(info)
    info = fetch_checkout(
        mall,
        quantities=[(mall.sku_m.id, 1)],
        destination=pickup_destination(store_id=mall.store_a.id),
    )
    assert {store: [ln.sku_id for ln in lines] for store, lines in assign_stores(info).items()} == {
        mall.store_a.id: [mall.sku_m.id]
    }
