"""Reads of what stores sell and hold: a store's goods and best-sellers, stock by city, and
the seller center's catalogue, stock query and stock journal of one store."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from rongcheng.catalog.models import Product, ProductImage, Sku
from rongcheng.catalog.selectors.cards import ProductCard, ProductSort, cards, cards_page, on_sale
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.selectors.filtering import ProductFilter, products_filtered
from rongcheng.catalog.tree import CategoryNode
from rongcheng.core.media_urls import media_url
from rongcheng.core.sql import Statement, every_column, instance
from rongcheng.inventory.models import Stock, StockMovement, StoreListing
from rongcheng.regions.models import Region
from rongcheng.stores.geo import haversine_km
from rongcheng.stores.models import Store
from rongcheng.stores.selectors import SHOP_KINDS, NearbyStore


def _listed_in(store_id: int) -> QuerySet[Product]:
    return on_sale().filter(listings__store_id=store_id, listings__is_listed=True)


def store_products(
    *,
    store_id: int,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
) -> Page:
    """All goods a store sells (NEAR-1: a store page lists all its goods)."""
    return cards_page(_listed_in(store_id), sort=sort, page=page, per_page=per_page)


def store_best_sellers(*, store_id: int, limit: int = 10) -> list[ProductCard]:
    """The store's own sales ranking (PDP-1)."""
    products = _listed_in(store_id).annotate(store_sales=F("listings__sales_count"))
    return cards(products, sort=("-store_sales", "-id"), limit=limit)


def store_categories(*, store_id: int) -> list[CategoryNode]:
    """The categories of the goods a store sells, in tree order (PDP-1).

    order_by() clears the model's default ordering, whose columns would otherwise join the
    DISTINCT and return one row per product instead of one per category.
    """
    ids = set(_listed_in(store_id).order_by().values_list("category_id", flat=True).distinct())
    return [node for node in category_tree().walk() if node.id in ids]


@dataclass(frozen=True)
class CityStock:
    city_code: str
    city_name: str
    available: int
    stores: int


def product_stock_by_city(*, product_id: int) -> list[CityStock]:
    """Units of a product available in the stores that sell it, per city (PDP-1)."""
    listed = StoreListing.objects.filter(
        store=OuterRef("store"), product_id=product_id, is_listed=True
    )
    rows = (
        Stock.objects.filter(
            sku__product_id=product_id,
            sku__is_active=True,
            store__is_active=True,
            store__kind__in=SHOP_KINDS,
        )
        .filter(Exists(listed))
        .values("store__city_id", "store__city__name")
        .annotate(
            units=Sum(F("on_hand") - F("reserved")),
            stores=Count("store", distinct=True),
        )
        .order_by("-units", "store__city_id")
    )
    return [
        CityStock(row["store__city_id"], row["store__city__name"], row["units"], row["stores"])
        for row in rows
    ]


@dataclass(frozen=True)
class StoreStock:
    store: Store
    available: dict[int, int]  # sku id → units that can be sold now


def product_stock_in_city(*, product_id: int, city_code: str) -> list[StoreStock]:
    """Per store of a city that sells the product, the units of each SKU (for pick-up)."""
    stores = list(
        Store.objects.filter(
            city_id=city_code,
            is_active=True,
            kind__in=SHOP_KINDS,
            listings__product_id=product_id,
            listings__is_listed=True,
        ).order_by("-is_recommended", "code")
    )
    available: dict[int, dict[int, int]] = {store.id: {} for store in stores}
    rows = Stock.objects.filter(
        store_id__in=list(available), sku__product_id=product_id, sku__is_active=True
    ).values_list("store_id", "sku_id", "on_hand", "reserved")
    for store_id, sku_id, on_hand, reserved in rows:
        available[store_id][sku_id] = on_hand - reserved
    return [StoreStock(store, available[store.id]) for store in stores]


# --- Seller center: a store's view of the catalogue, its stock and its stock journal --------

STAFF_PAGE_SIZE = 20


class StockState(models.TextChoices):
    AVAILABLE = "available", gettext_lazy("有可售库存")
    ZERO = "zero", gettext_lazy("零库存")
    RESERVED = "reserved", gettext_lazy("有预留")


@dataclass(frozen=True)
class CatalogueRow:
    """A catalogue product as a store sees it: whether it sells it and what it holds."""

    id: int
    name: str
    style_code: str
    brand_name: str
    category_name: str
    thumbnail_url: str
    sku_count: int
    on_hand: int
    is_listed: bool


def store_catalogue(
    *,
    store_id: int,
    query: str = "",
    category_id: int | None = None,
    listed: bool | None = None,
    page: int | str = 1,
    per_page: int = STAFF_PAGE_SIZE,
) -> Page:
    """The platform catalogue with one store's listing state (ROLE-4 上下架): search by name
    or style code (款号), filter by category and by listed or not; two queries a page."""
    listing = StoreListing.objects.filter(store_id=store_id, product=OuterRef("pk"))
    thumbnail = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )
    sku_count = (
        Sku.objects.filter(product=OuterRef("pk"), is_active=True)
        .values("product")
        .annotate(n=Count("id"))
        .values("n")
    )
    on_hand = (
        Stock.objects.filter(store_id=store_id, sku__product=OuterRef("pk"))
        .values("sku__product")
        .annotate(n=Sum("on_hand"))
        .values("n")
    )
    products = on_sale().annotate(is_listed=Exists(listing.filter(is_listed=True)))
    if query:
        products = products.filter(Q(name__icontains=query) | Q(style_code__icontains=query))
    if category_id is not None:
        products = products.filter(category_id__in=category_tree().subtree_ids(category_id))
    if listed is not None:
        products = products.filter(is_listed=listed)
    rows = (
        products.annotate(
            brand_name=F("brand__name"),
            category_name=F("category__name"),
            thumbnail_name=Subquery(thumbnail),
            sku_count=Coalesce(Subquery(sku_count), 0),
            units=Coalesce(Subquery(on_hand), 0),
        )
        .only("id", "name", "style_code")
        .order_by("style_code", "id")
    )
    result = Paginator(rows, per_page).get_page(page)
    catalogue = [
        CatalogueRow(
            id=product.id,
            name=product.name,
            style_code=product.style_code,
            brand_name=product.brand_name,
            category_name=product.category_name,
            thumbnail_url=media_url(product.thumbnail_name),
            sku_count=product.sku_count,
            on_hand=product.units,
            is_listed=product.is_listed,
        )
        for product in result.object_list
    ]
    result.object_list = catalogue  # type: ignore[assignment]
    return result


def store_skus(*, store_id: int) -> QuerySet[Sku]:
    """The SKUs a store deals in: those it holds a stock row for, and the active SKUs of the
    products it lists (which may have none yet). Annotated with `on_hand` and `reserved`
    (0 without a row) through one LEFT JOIN on the unique (store, SKU) row."""
    listed = StoreListing.objects.filter(
        store_id=store_id, product=OuterRef("product"), is_listed=True
    )
    return (
        Sku.objects.annotate(here=FilteredRelation("stock", condition=Q(stock__store_id=store_id)))
        .filter(
            Q(here__id__isnull=False)
            | (Q(is_active=True, product__is_active=True) & Exists(listed))
        )
        .annotate(
            on_hand=Coalesce(F("here__on_hand"), 0),
            reserved=Coalesce(F("here__reserved"), 0),
        )
    )


@dataclass(frozen=True)
class StockRow:
    sku_id: int
    code: str
    product_id: int
    product_name: str
    style_code: str
    colour: str
    size: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def store_stock(
    *,
    store_id: int,
    query: str = "",
    state: str = "",
    page: int | str = 1,
    per_page: int = STAFF_PAGE_SIZE,
) -> Page:
    """Stock query per SKU (FUL-11): on hand, reserved and available, by SKU code, product
    name or style code and by state; two queries a page."""
    skus = store_skus(store_id=store_id)
    if query:
        skus = skus.filter(
            Q(code__icontains=query)
            | Q(product__name__icontains=query)
            | Q(product__style_code__icontains=query)
        )
    # Wrapped in Q: the type checker cannot see the annotations of store_skus.
    if state == StockState.AVAILABLE:
        skus = skus.filter(Q(on_hand__gt=F("reserved")))
    elif state == StockState.ZERO:
        skus = skus.filter(Q(on_hand=0))
    elif state == StockState.RESERVED:
        skus = skus.filter(Q(reserved__gt=0))
    # The checker cannot see the annotations of store_skus from here.
    rows = skus.order_by("product__style_code", "position", "id").values_list(  # type: ignore[misc]
        "id",
        "code",
        "product_id",
        "product__name",
        "product__style_code",
        "colour",
        "size",
        "on_hand",
        "reserved",
    )
    result = Paginator(rows, per_page).get_page(page)
    result.object_list = [StockRow(*row) for row in result.object_list]
    return result


def store_movements(
    *, store_id: int, query: str = "", page: int | str = 1, per_page: int = STAFF_PAGE_SIZE
) -> Page:
    """A store's stock journal, newest first, optionally for the SKUs matching a code."""
    movements = StockMovement.objects.filter(store_id=store_id)
    if query:
        movements = movements.filter(sku__code__icontains=query)
    ordered = movements.select_related("sku__product", "actor").order_by("-id")
    return Paginator(ordered, per_page).get_page(page)


def sku_id_for_code(*, code: str) -> int | None:
    """The SKU a code (as on the label) names, for receiving and stock-taking by code."""
    return Sku.objects.filter(code=code.strip()).values_list("id", flat=True).first()


# --- Browsing: a store's goods by category, stock of a city, the nearest seller -------------


def store_goods(
    *,
    store_id: int,
    category_id: int | None = None,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
) -> Page:
    """The goods a store sells, optionally of one category subtree (the store page)."""
    products = products_filtered(_listed_in(store_id), filters=ProductFilter(category_id))
    return cards_page(products, sort=sort, page=page, per_page=per_page)


def sku_stock_in_city(*, product_id: int, sku_ids: Sequence[int], city_code: str) -> dict[int, int]:
    """Units of the given SKUs of a product that the city's stores selling it can sell now.

    The SKU ids and the stores go in as lists, so the (sku, store) index answers directly
    instead of walking every stock row of the city's stores.
    """
    sellers = Store.objects.filter(
        city_id=city_code,
        is_active=True,
        kind__in=SHOP_KINDS,
        listings__product_id=product_id,
        listings__is_listed=True,
    ).values("id")
    rows = (
        Stock.objects.filter(sku_id__in=list(sku_ids), store_id__in=sellers)
        .values("sku_id")
        .annotate(units=Sum(F("on_hand") - F("reserved")))
        .values_list("sku_id", "units")
    )
    return dict(rows)


# What a product page shows of availability, on every first visit of the page: SQL written
# once (core/sql.py), as compiling the two querysets cost several times running them.
_STORE, _STORE_FIELDS = every_column(Store, "t")
_CITY, _CITY_FIELDS = every_column(Region, "c")
# The open stores that list a product, with their cities: the page names the nearest shop.
_LISTING_STORES = Statement(
    f"""
    SELECT {_STORE}, {_CITY}
    FROM {StoreListing._meta.db_table} g
    JOIN {Store._meta.db_table} t ON t.id = g.store_id
    JOIN {Region._meta.db_table} c ON c.code = t.city_id
    WHERE g.product_id = %s AND g.is_listed AND t.is_active
    """,  # noqa: S608
    [*_STORE_FIELDS, *_CITY_FIELDS],
)
_OPEN_STOCK = Statement(
    f"""
    SELECT s.sku_id, s.store_id, s.on_hand, s.reserved
    FROM {Stock._meta.db_table} s JOIN {Store._meta.db_table} t ON t.id = s.store_id
    WHERE s.sku_id IN (%s) AND t.is_active
    """  # noqa: S608
)


def _listing_stores(product_id: int) -> list[Store]:
    stores = []
    for row in _LISTING_STORES.rows([product_id]):
        store = instance(Store, row[: len(_STORE_FIELDS)])
        store.city = instance(Region, row[len(_STORE_FIELDS) :])
        stores.append(store)
    return stores


@dataclass(frozen=True)
class ProductAvailability:
    """What the product page shows about who sells a product and what is left (PDP-1)."""

    seller: NearbyStore | None  # the shop nearest to the visitor that sells it
    city_units: dict[int, int]  # per SKU, units the city's shops selling it can sell now
    sellable: dict[int, bool]  # per SKU, whether the bag takes one (cart.selectors.sku_states)


def product_availability(
    *,
    product_id: int,
    sku_ids: Sequence[int],
    city_code: str | None,
    latitude: float | Decimal | None,
    longitude: float | Decimal | None,
) -> ProductAvailability:
    """The nearest seller, the stock in the visitor's city and whether each SKU can be put
    in the bag, in two queries bounded by the number of stores: the open stores listing the
    product, and the stock rows of its SKUs in open stores.

    `sku_ids` are active SKUs of a product on sale. A SKU is sellable, as the bag decides,
    when an open store lists the product and open stores hold at least one unit of it."""
    listing = _listing_stores(product_id)
    shops = [store for store in listing if store.kind in SHOP_KINDS]
    in_city = {store.id for store in shops if store.city_id == city_code}
    city_units: dict[int, int] = {}
    units: dict[int, int] = {}
    rows = _OPEN_STOCK.rows([list(sku_ids)]) if sku_ids else []
    for sku_id, store_id, on_hand, reserved in rows:
        units[sku_id] = units.get(sku_id, 0) + on_hand - reserved
        if store_id in in_city:
            city_units[sku_id] = city_units.get(sku_id, 0) + on_hand - reserved
    seller = None
    if latitude is not None and longitude is not None:
        lat, lng = float(latitude), float(longitude)
        seller = min(
            (
                NearbyStore(
                    store, haversine_km(lat, lng, float(store.latitude), float(store.longitude))
                )
                for store in shops
            ),
            key=lambda item: (item.distance_km, item.store.id),
            default=None,
        )
    return ProductAvailability(
        seller=seller,
        city_units=city_units,
        sellable={sku_id: bool(listing) and units.get(sku_id, 0) >= 1 for sku_id in sku_ids},
    )
