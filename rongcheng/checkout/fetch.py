"""Everything pricing and store assignment need, fetched once into frozen dataclasses.

A checkout of any number of lines costs a fixed number of queries: the ticked bag lines with
their SKUs and products, the stock rows that could serve them, and the active shipping-fee
template (cached).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from rongcheng.accounts.models import Address, User
from rongcheng.cart.models import BagLine
from rongcheng.catalog.calculations import SkuPricing, sku_price
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
    address = (
        Address.objects.filter(user=buyer, pk=address_id)
        .values(
            "province_id",
            "city_id",
            "district_id",
            "recipient",
            "phone",
            "detail",
            "district__latitude",
            "district__longitude",
        )
        .first()
    )
    if address is None:
        raise CheckoutInvalid(_("请选择您的收货地址。"), field="address")
    return Destination(
        delivery=Delivery.COURIER,
        province_code=address["province_id"],
        city_code=address["city_id"],
        district_code=address["district_id"],
        latitude=float(address["district__latitude"]),
        longitude=float(address["district__longitude"]),
        recipient=address["recipient"],
        phone=address["phone"],
        detail=address["detail"],
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


# What a line needs of its SKU and product, read as values (no model instances to build):
# the names of LineInfo and SkuPricing, and where each is found from the SKU.
_SKU_FIELDS = {
    "sku_id": "id",
    "sku_code": "code",
    "product_id": "product_id",
    "product_name": "product__name",
    "colour": "colour",
    "size": "size",
    "weight_grams": "weight_grams",
    "price": "price",
    "special_price": "special_price",
    "special_starts_at": "special_starts_at",
    "special_ends_at": "special_ends_at",
    "sku_active": "is_active",
    "product_active": "product__is_active",
}


def _line(row: dict, now: datetime) -> LineInfo:
    price = sku_price(
        SkuPricing(
            price=row["price"],
            special_price=row["special_price"],
            special_starts_at=row["special_starts_at"],
            special_ends_at=row["special_ends_at"],
        ),
        now,
    )
    return LineInfo(
        sku_id=row["sku_id"],
        sku_code=row["sku_code"],
        product_id=row["product_id"],
        product_name=row["product_name"],
        colour=row["colour"],
        size=row["size"],
        quantity=row["quantity"],
        unit_price_fen=to_fen(price.amount),
        regular_price_fen=to_fen(price.regular),
        weight_grams=row["weight_grams"],
        sellable=row["sku_active"] and row["product_active"],
    )


def bag_lines(*, buyer: User, now: datetime) -> tuple[LineInfo, ...]:
    """The ticked lines of the buyer's bag with their SKUs, in the order they were added
    (one query)."""
    names = [*_SKU_FIELDS, "quantity"]
    rows = (
        BagLine.objects.filter(bag__user=buyer, selected=True)
        .order_by("id")
        .values_list(*[f"sku__{field}" for field in _SKU_FIELDS.values()], "quantity")
    )
    return tuple(_line(dict(zip(names, row, strict=True)), now) for row in rows)


def given_lines(*, quantities: Sequence[tuple[int, int]], now: datetime) -> tuple[LineInfo, ...]:
    """The given (sku_id, quantity) lines with their SKUs, in the given order (one query): an
    order staff create for a member, e.g. after 到货通知. An unknown SKU is refused."""
    rows = {
        row[0]: row
        for row in Sku.objects.filter(
            id__in=[sku_id for sku_id, _quantity in quantities]
        ).values_list(*_SKU_FIELDS.values())
    }
    if any(sku_id not in rows for sku_id, _quantity in quantities):
        raise CheckoutInvalid(_("商品规格不存在。"))
    names = list(_SKU_FIELDS)
    return tuple(
        _line({**dict(zip(names, rows[sku_id], strict=True)), "quantity": quantity}, now)
        for sku_id, quantity in quantities
    )


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


def checkout_info(*, lines: tuple[LineInfo, ...], destination: Destination) -> CheckoutInfo:
    """The lines' stock options and the fees for the destination."""
    return CheckoutInfo(
        lines=lines,
        destination=destination,
        options=_options([line.sku_id for line in lines], destination),
        fee_template=active_fee_template() if destination.delivery == Delivery.COURIER else None,
    )
