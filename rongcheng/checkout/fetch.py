"""Everything pricing and store assignment need, fetched once into frozen dataclasses.

A checkout of any number of lines costs a fixed number of queries: the ticked bag lines with
their SKUs and products, the address, the stock rows that could serve them, and the active
shipping-fee template (cached). Every order placed runs them, so they are SQL written once
rather than querysets compiled on each call.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Field
from django.utils.translation import gettext as _

from rongcheng.accounts.models import Address, User
from rongcheng.cart.models import Bag, BagLine
from rongcheng.catalog.calculations import SkuPricing, sku_price
from rongcheng.catalog.models import Product, Sku
from rongcheng.checkout.errors import CheckoutInvalid
from rongcheng.core.money import to_fen
from rongcheng.core.sql import Statement, fields
from rongcheng.fulfillment.calculations import FeeTemplate
from rongcheng.fulfillment.selectors import active_fee_template
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.orders.models import Delivery
from rongcheng.regions.models import Region
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


# --- The reads, written once as SQL (core/sql.py): every order placed runs them -------------

_ADDRESS = Statement(
    f"""
    SELECT a.province_id, a.city_id, a.district_id, a.recipient, a.phone, a.detail,
           d.latitude, d.longitude
    FROM {Address._meta.db_table} a JOIN {Region._meta.db_table} d ON d.code = a.district_id
    WHERE a.user_id = %s AND a.id = %s
    """,  # noqa: S608
    [None, None, None, None, None, None, *fields(Region, "latitude", "longitude")],
)

# An open shop (not a fulfillment center) with its city's province.
_PICKUP_STORE = Statement(
    f"""
    SELECT c.parent_id, t.city_id, t.latitude, t.longitude
    FROM {Store._meta.db_table} t JOIN {Region._meta.db_table} c ON c.code = t.city_id
    WHERE t.id = %s AND t.is_active AND t.kind <> %s
    """,  # noqa: S608
    [None, None, *fields(Store, "latitude", "longitude")],
)

# What a line needs of its SKU (k) and product (p): the names of LineInfo and SkuPricing, and
# the field each is read from.
_SKU_COLUMNS = {
    "sku_id": (Sku, "id"),
    "sku_code": (Sku, "code"),
    "product_id": (Sku, "product"),
    "product_name": (Product, "name"),
    "colour": (Sku, "colour"),
    "size": (Sku, "size"),
    "weight_grams": (Sku, "weight_grams"),
    "price": (Sku, "price"),
    "special_price": (Sku, "special_price"),
    "special_starts_at": (Sku, "special_starts_at"),
    "special_ends_at": (Sku, "special_ends_at"),
    "sku_active": (Sku, "is_active"),
    "product_active": (Product, "is_active"),
}
_SKU_FIELDS = [field for model, name in _SKU_COLUMNS.values() for field in fields(model, name)]
_SKU_SELECT = ", ".join(
    f"{'k' if model is Sku else 'p'}.{model._meta.get_field(name).column}"  # type: ignore[union-attr]
    for model, name in _SKU_COLUMNS.values()
)
_PRODUCT_OF_SKU = f"JOIN {Product._meta.db_table} p ON p.id = k.product_id"

_BAG_LINES = Statement(
    f"""
    SELECT {_SKU_SELECT}, l.quantity
    FROM {BagLine._meta.db_table} l JOIN {Bag._meta.db_table} b ON b.id = l.bag_id
    JOIN {Sku._meta.db_table} k ON k.id = l.sku_id {_PRODUCT_OF_SKU}
    WHERE b.user_id = %s AND l.selected
    ORDER BY l.id
    """,  # noqa: S608
    [*_SKU_FIELDS, None],
)
_GIVEN_SKUS = Statement(
    f"SELECT {_SKU_SELECT} FROM {Sku._meta.db_table} k {_PRODUCT_OF_SKU} WHERE k.id IN (%s)",  # noqa: S608
    _SKU_FIELDS,
)

# The stock rows with free units of the SKUs in open stores, and whether the store sells the
# product (上架): at the pick-up store, or for a courier in the city and at the centers.
_OPTIONS = f"""
    SELECT s.store_id, s.sku_id, s.on_hand - s.reserved, EXISTS (
               SELECT 1 FROM {StoreListing._meta.db_table} g
               WHERE g.store_id = s.store_id AND g.product_id = k.product_id AND g.is_listed
           ), t.kind, t.city_id, t.latitude, t.longitude
    FROM {Stock._meta.db_table} s JOIN {Store._meta.db_table} t ON t.id = s.store_id
    JOIN {Sku._meta.db_table} k ON k.id = s.sku_id
    WHERE s.sku_id IN (%s) AND t.is_active AND s.on_hand - s.reserved > 0
"""  # noqa: S608
_OPTION_FIELDS: list[Field | None] = [
    None,
    None,
    None,
    BooleanField(),
    None,
    None,
    *fields(Store, "latitude", "longitude"),
]
_OPTIONS_PICKUP = Statement(_OPTIONS + "AND s.store_id = %s", _OPTION_FIELDS)
_OPTIONS_COURIER = Statement(_OPTIONS + "AND (t.city_id = %s OR t.kind = %s)", _OPTION_FIELDS)


def address_destination(*, buyer: User, address_id: int) -> Destination:
    """A courier destination from the buyer's own address book (MEM-4)."""
    rows = _ADDRESS.rows([buyer.pk, address_id])
    if not rows:
        raise CheckoutInvalid(_("请选择您的收货地址。"), field="address")
    province, city, district, recipient, phone, detail, latitude, longitude = rows[0]
    return Destination(
        delivery=Delivery.COURIER,
        province_code=province,
        city_code=city,
        district_code=district,
        latitude=float(latitude),
        longitude=float(longitude),
        recipient=recipient,
        phone=phone,
        detail=detail,
    )


def pickup_destination(*, store_id: int) -> Destination:
    rows = _PICKUP_STORE.rows([store_id, Store.Kind.FULFILLMENT])
    if not rows:
        raise CheckoutInvalid(_("请选择营业中的自提门店。"), field="pickup_store")
    province, city, latitude, longitude = rows[0]
    return Destination(
        delivery=Delivery.PICKUP,
        province_code=province or "",
        city_code=city,
        latitude=float(latitude),
        longitude=float(longitude),
        pickup_store_id=store_id,
    )


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
    names = [*_SKU_COLUMNS, "quantity"]
    return tuple(
        _line(dict(zip(names, row, strict=True)), now) for row in _BAG_LINES.rows([buyer.pk])
    )


def given_lines(*, quantities: Sequence[tuple[int, int]], now: datetime) -> tuple[LineInfo, ...]:
    """The given (sku_id, quantity) lines with their SKUs, in the given order (one query): an
    order staff create for a member, e.g. after 到货通知. An unknown SKU is refused."""
    rows = {row[0]: row for row in _GIVEN_SKUS.rows([[sku_id for sku_id, _quantity in quantities]])}
    if any(sku_id not in rows for sku_id, _quantity in quantities):
        raise CheckoutInvalid(_("商品规格不存在。"))
    names = list(_SKU_COLUMNS)
    return tuple(
        _line({**dict(zip(names, rows[sku_id], strict=True)), "quantity": quantity}, now)
        for sku_id, quantity in quantities
    )


def _options(sku_ids: list[int], destination: Destination) -> tuple[StockOption, ...]:
    if destination.pickup_store_id is not None:
        rows = _OPTIONS_PICKUP.rows([sku_ids, destination.pickup_store_id])
    else:
        rows = _OPTIONS_COURIER.rows([sku_ids, destination.city_code, Store.Kind.FULFILLMENT])
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
