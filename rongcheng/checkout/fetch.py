"""Everything pricing and store assignment need, fetched once into frozen dataclasses.

A checkout of any number of lines costs a fixed number of queries: the SKUs with their
products, the stock rows that could serve them, and the active shipping-fee template.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from rongcheng.accounts.models import Address, User
from rongcheng.catalog.calculations import sku_price
from rongcheng.catalog.fetch import sku_pricing
from rongcheng.catalog.models import Sku
from rongcheng.checkout.errors import CheckoutInvalid
from rongcheng.core.money import to_fen
from rongcheng.fulfillment.calculations import FeeTemplate
from rongcheng.fulfillment.selectors import active_fee_template
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.orders.models import Delivery
from rongcheng.stores.models import Store


@dataclass(frozen=True)
class LineInfo:
    sku_id: int
    sku_code: str
    product_id: int
    product_name: str
    colour: str
    size: str
    quantity: int
    unit_price_fen: int  # the price in force now (special price inside its window)
    regular_price_fen: int
    weight_grams: int
    sellable: bool  # the SKU and its product are still in the catalogue


@dataclass(frozen=True)
class StockOption:
    """A store that holds units of a SKU."""

    store_id: int
    sku_id: int
    available: int
    listed: bool  # the store sells the product (上架); fulfillment centers ship what they hold
    is_center: bool
    city_code: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Destination:
    """Where the goods go: a courier address or a pick-up store."""

    delivery: str
    province_code: str
    city_code: str
    latitude: float
    longitude: float
    pickup_store_id: int | None = None
    recipient: str = ""
    phone: str = ""
    district_code: str = ""
    detail: str = ""


@dataclass(frozen=True)
class CheckoutInfo:
    lines: tuple[LineInfo, ...]
    destination: Destination
    options: tuple[StockOption, ...]
    fee_template: FeeTemplate | None


def address_destination(*, buyer: User, address_id: int) -> Destination:
    """A courier destination from the buyer's own address book (MEM-4)."""
    address = Address.objects.filter(user=buyer, pk=address_id).select_related("district").first()
    if address is None:
        raise CheckoutInvalid(_("请选择您的收货地址。"), field="address")
    return Destination(
        delivery=Delivery.COURIER,
        province_code=address.province_id,
        city_code=address.city_id,
        district_code=address.district_id,
        latitude=float(address.district.latitude),
        longitude=float(address.district.longitude),
        recipient=address.recipient,
        phone=address.phone,
        detail=address.detail,
    )


def pickup_destination(*, store_id: int) -> Destination:
    store = (
        Store.objects.filter(pk=store_id, is_active=True)
        .exclude(kind=Store.Kind.FULFILLMENT)
        .select_related("city")
        .first()
    )
    if store is None:
        raise CheckoutInvalid(_("请选择营业中的自提门店。"), field="pickup_store")
    return Destination(
        delivery=Delivery.PICKUP,
        province_code=store.city.parent_id or "",
        city_code=store.city_id,
        latitude=float(store.latitude),
        longitude=float(store.longitude),
        pickup_store_id=store.pk,
    )


def _lines(quantities: Sequence[tuple[int, int]], now: datetime) -> tuple[LineInfo, ...]:
    skus = Sku.objects.select_related("product").in_bulk([sku_id for sku_id, _q in quantities])
    lines = []
    for sku_id, quantity in quantities:
        sku = skus.get(sku_id)
        if sku is None:
            continue
        price = sku_price(sku_pricing(sku), now)
        lines.append(
            LineInfo(
                sku_id=sku.pk,
                sku_code=sku.code,
                product_id=sku.product_id,
                product_name=sku.product.name,
                colour=sku.colour,
                size=sku.size,
                quantity=quantity,
                unit_price_fen=to_fen(price.amount),
                regular_price_fen=to_fen(price.regular),
                weight_grams=sku.weight_grams,
                sellable=sku.is_active and sku.product.is_active,
            )
        )
    return tuple(lines)


def _options(sku_ids: list[int], destination: Destination) -> tuple[StockOption, ...]:
    listed = StoreListing.objects.filter(
        store=OuterRef("store_id"), product=OuterRef("sku__product_id"), is_listed=True
    )
    if destination.pickup_store_id is not None:
        where = Q(store_id=destination.pickup_store_id)
    else:
        where = Q(store__city_id=destination.city_code) | Q(store__kind=Store.Kind.FULFILLMENT)
    rows = (
        Stock.objects.filter(where, sku_id__in=sku_ids, store__is_active=True)
        .annotate(free=F("on_hand") - F("reserved"), listed=Exists(listed))
        .filter(free__gt=0)
        .values_list(
            "store_id",
            "sku_id",
            "free",
            "listed",
            "store__kind",
            "store__city_id",
            "store__latitude",
            "store__longitude",
        )
    )
    return tuple(
        StockOption(
            store_id=store_id,
            sku_id=sku_id,
            available=available,
            listed=listed,
            is_center=kind == Store.Kind.FULFILLMENT,
            city_code=city_code,
            latitude=float(latitude),
            longitude=float(longitude),
        )
        for store_id, sku_id, available, listed, kind, city_code, latitude, longitude in rows
    )


def fetch_checkout(
    *, quantities: Sequence[tuple[int, int]], destination: Destination, now: datetime
) -> CheckoutInfo:
    """(sku_id, quantity) pairs → the checkout's data; SKUs no longer in the catalogue drop."""
    lines = _lines(quantities, now)
    return CheckoutInfo(
        lines=lines,
        destination=destination,
        options=_options([line.sku_id for line in lines], destination),
        fee_template=active_fee_template() if destination.delivery == Delivery.COURIER else None,
    )
