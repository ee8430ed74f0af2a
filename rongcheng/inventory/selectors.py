"""Reads of what stores sell and hold: a store's goods and best-sellers, stock by city."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum

from rongcheng.catalog.models import Product
from rongcheng.catalog.selectors import (
    ProductCard,
    ProductFilter,
    ProductSort,
    cards,
    cards_page,
    category_tree,
    on_sale,
    products_filtered,
)
from rongcheng.catalog.tree import CategoryNode
from rongcheng.inventory.models import Stock, StoreListing
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
    """The categories of the goods a store sells, in tree order (PDP-1)."""
    ids = set(_listed_in(store_id).values_list("category_id", flat=True).distinct())
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


def product_seller_near(
    *, product_id: int, latitude: float | Decimal, longitude: float | Decimal
) -> NearbyStore | None:
    """The store nearest to a point that sells the product: its customer service answers
    the shopper on the product page (PDP-1). Bounded by the number of stores."""
    stores = Store.objects.filter(
        is_active=True,
        kind__in=SHOP_KINDS,
        listings__product_id=product_id,
        listings__is_listed=True,
    ).select_related("city")
    lat, lng = float(latitude), float(longitude)
    nearby = [
        NearbyStore(store, haversine_km(lat, lng, float(store.latitude), float(store.longitude)))
        for store in stores
    ]
    return min(nearby, key=lambda item: (item.distance_km, item.store.id), default=None)


def store_category_nodes(*, store_id: int) -> list[CategoryNode]:
    """The categories of the goods a store sells, in tree order (one row per category).

    Unlike store_categories, it clears the model's default ordering, whose columns would
    otherwise join the DISTINCT and return one row per product.
    """
    ids = set(_listed_in(store_id).order_by().values_list("category_id", flat=True).distinct())
    return [node for node in category_tree().walk() if node.id in ids]
