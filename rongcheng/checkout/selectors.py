"""The checkout the buyer is about to confirm: the selected bag lines, who ships them and
what everything costs, computed exactly as placing the order will compute it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.cart.models import BagLine
from rongcheng.checkout.allocation import assign_stores
from rongcheng.checkout.calculations import PricedCheckout, price_checkout
from rongcheng.checkout.errors import CheckoutInvalid
from rongcheng.checkout.fetch import (
    CheckoutInfo,
    Destination,
    address_destination,
    bag_lines,
    checkout_info,
    given_lines,
    pickup_destination,
)
from rongcheng.checkout.models import Checkout
from rongcheng.core.money import to_fen
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.orders.models import Delivery, Order
from rongcheng.stores.geo import haversine_km
from rongcheng.stores.models import Store


@dataclass(frozen=True)
class Quote:
    info: CheckoutInfo
    priced: PricedCheckout


def destination_for(
    *, buyer: User, delivery: str, address_id: int | None, pickup_store_id: int | None
) -> Destination:
    if delivery == Delivery.COURIER and address_id is not None:
        return address_destination(buyer=buyer, address_id=address_id)
    if delivery == Delivery.PICKUP and pickup_store_id is not None:
        return pickup_destination(store_id=pickup_store_id)
    raise CheckoutInvalid(_("请选择收货地址或自提门店。"), field="delivery")


def checkout_quote(
    *,
    buyer: User,
    delivery: str,
    address_id: int | None = None,
    pickup_store_id: int | None = None,
    now: datetime | None = None,
    lines: Sequence[tuple[int, int]] | None = None,
) -> Quote:
    """Price the ticked lines of the buyer's bag for this delivery, or the given (sku_id,
    quantity) `lines` (an order staff create for the member, e.g. after 到货通知): three
    queries, with the shipping-fee template cached."""
    now = now or timezone.now()
    chosen = (
        bag_lines(buyer=buyer, now=now) if lines is None else given_lines(quantities=lines, now=now)
    )
    if not chosen:
        raise CheckoutInvalid(_("请先在购物袋中勾选要结算的商品。"))
    destination = destination_for(
        buyer=buyer, delivery=delivery, address_id=address_id, pickup_store_id=pickup_store_id
    )
    info = checkout_info(lines=chosen, destination=destination)
    priced = price_checkout(
        assign_stores(info), destination=destination, template=info.fee_template
    )
    return Quote(info, priced)


def checkout_amount_due_fen(*, checkout: Checkout) -> int:
    """What a payment of the checkout must bring now: its orders still awaiting payment."""
    totals = Order.objects.filter(
        checkout=checkout, status=Order.Status.AWAITING_PAYMENT
    ).values_list("total", flat=True)
    return sum(to_fen(total) for total in totals)


@dataclass(frozen=True)
class PickupStore:
    store: Store
    distance_km: float


def pickup_stores(
    *, buyer: User, city_code: str, latitude: float, longitude: float
) -> list[PickupStore]:
    """The shops of a city where every ticked line of the buyer's bag can be picked up now
    (the shop sells the product and holds the units), nearest first. Three queries."""
    wanted = dict(
        BagLine.objects.filter(bag__user=buyer, selected=True).values_list("sku_id", "quantity")
    )
    if not wanted:
        return []
    listed = StoreListing.objects.filter(
        store=OuterRef("store_id"), product=OuterRef("sku__product_id"), is_listed=True
    )
    rows = (
        Stock.objects.filter(
            sku_id__in=list(wanted),
            store__city_id=city_code,
            store__is_active=True,
        )
        .exclude(store__kind=Store.Kind.FULFILLMENT)
        .annotate(free=F("on_hand") - F("reserved"), listed=Exists(listed))
        .filter(listed=True)
        .values_list("store_id", "sku_id", "free")
    )
    served: dict[int, int] = {}
    for store_id, sku_id, free in rows:
        if free >= wanted[sku_id]:
            served[store_id] = served.get(store_id, 0) + 1
    ids = [store_id for store_id, count in served.items() if count == len(wanted)]
    stores = [
        PickupStore(
            store,
            haversine_km(latitude, longitude, float(store.latitude), float(store.longitude)),
        )
        for store in Store.objects.filter(pk__in=ids)
    ]
    return sorted(stores, key=lambda item: (item.distance_km, item.store.pk))
