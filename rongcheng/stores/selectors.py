"""Reads of stores for shoppers: stores of a city, stores near a point (NEAR-1, HOME-1)."""

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet

from rongcheng.core.sql import Statement, every_column, instance
from rongcheng.regions.models import Region
from rongcheng.stores.geo import bounding_box, haversine_km
from rongcheng.stores.models import Store, StoreMembership

SHOP_KINDS = (Store.Kind.DIRECT, Store.Kind.FRANCHISE_A, Store.Kind.FRANCHISE_B)


@dataclass(frozen=True)
class NearbyStore:
    store: Store
    distance_km: float


def _shops() -> QuerySet[Store]:
    """Stores a shopper can visit; fulfillment centers only ship."""
    return Store.objects.filter(is_active=True, kind__in=SHOP_KINDS).select_related("city")


def store_get(*, store_id: int) -> Store | None:
    return _shops().filter(id=store_id).first()


def stores_in_city(*, city_code: str, recommended_only: bool = False) -> list[Store]:
    """All stores of a city (NEAR-1 on PC), recommended ones first."""
    stores = _shops().filter(city_id=city_code)
    if recommended_only:
        stores = stores.filter(is_recommended=True)
    return list(stores.order_by("-is_recommended", "code"))


# Every first visit of the home page asks for the stores nearest the visitor's city: SQL
# written once per shape (core/sql.py), as building the queryset cost several times running it.
_STORE, _STORE_FIELDS = every_column(Store, "t")
_CITY, _CITY_FIELDS = every_column(Region, "c")
_LATITUDE = Store._meta.get_field("latitude")
_LONGITUDE = Store._meta.get_field("longitude")


@lru_cache(maxsize=4)
def _shops_in_box(across_antimeridian: bool, recommended_only: bool) -> Statement:
    """Open shops with their cities inside a latitude band and a longitude range, which
    wraps round from 180° to -180° when the box crosses the antimeridian."""
    longitude = (
        "(t.longitude >= %s OR t.longitude <= %s)"
        if across_antimeridian
        else "t.longitude >= %s AND t.longitude <= %s"
    )
    recommended = " AND t.is_recommended" if recommended_only else ""
    return Statement(
        f"""
        SELECT {_STORE}, {_CITY}
        FROM {Store._meta.db_table} t JOIN {Region._meta.db_table} c ON c.code = t.city_id
        WHERE t.is_active AND t.kind IN (%s) AND {longitude}
          AND t.latitude >= %s AND t.latitude <= %s{recommended}
        """,  # noqa: S608
        [*_STORE_FIELDS, *_CITY_FIELDS],
    )


def stores_near(
    *,
    latitude: float | Decimal,
    longitude: float | Decimal,
    radius_km: float | None = None,
    limit: int = 10,
    recommended_only: bool = False,
) -> list[NearbyStore]:
    """Stores within radius_km of a point, nearest first (NEAR-1 on mobile, HOME-1).

    A bounding box on the indexed latitude/longitude picks the candidates in SQL (works the
    same on SQLite and PostgreSQL); the exact great-circle distance is computed here.
    """
    lat, lng = float(latitude), float(longitude)
    radius = float(radius_km or settings.RONGCHENG["NEARBY_STORE_RADIUS_KM"])
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
    if min_lng < -180:  # the box crosses the antimeridian
        low, high = min_lng + 360, max_lng
    elif max_lng > 180:
        low, high = min_lng, max_lng - 360
    else:
        low, high = min_lng, max_lng
    across = min_lng < -180 or max_lng > 180
    # The bounds compared as the ORM compares them: Decimals of the columns' precision.
    rows = _shops_in_box(across, recommended_only).rows(
        [
            list(SHOP_KINDS),
            _LONGITUDE.get_prep_value(low),
            _LONGITUDE.get_prep_value(high),
            _LATITUDE.get_prep_value(min_lat),
            _LATITUDE.get_prep_value(max_lat),
        ]
    )
    nearby = []
    for row in rows:
        store = instance(Store, row[: len(_STORE_FIELDS)])
        store.city = instance(Region, row[len(_STORE_FIELDS) :])
        distance = haversine_km(lat, lng, float(store.latitude), float(store.longitude))
        if distance <= radius:
            nearby.append(NearbyStore(store, distance))
    nearby.sort(key=lambda item: (item.distance_km, item.store.id))
    return nearby[:limit]


def staff_memberships(*, user_id: int) -> list[StoreMembership]:
    """A staff member's active memberships of active stores, with the stores (seller center)."""
    return list(
        StoreMembership.objects.filter(user_id=user_id, is_active=True, store__is_active=True)
        .select_related("store")
        .order_by("store__code")
    )
