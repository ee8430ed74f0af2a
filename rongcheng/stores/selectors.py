"""Reads of stores for shoppers: stores of a city, stores near a point (NEAR-1, HOME-1)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

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
        box = Q(longitude__gte=min_lng + 360) | Q(longitude__lte=max_lng)
    elif max_lng > 180:
        box = Q(longitude__gte=min_lng) | Q(longitude__lte=max_lng - 360)
    else:
        box = Q(longitude__gte=min_lng, longitude__lte=max_lng)
    box &= Q(latitude__gte=min_lat, latitude__lte=max_lat)
    stores = _shops().filter(box)
    if recommended_only:
        stores = stores.filter(is_recommended=True)
    nearby = [
        NearbyStore(store, haversine_km(lat, lng, float(store.latitude), float(store.longitude)))
        for store in stores
    ]
    nearby = [item for item in nearby if item.distance_km <= radius]
    nearby.sort(key=lambda item: (item.distance_km, item.store.id))
    return nearby[:limit]


def staff_memberships(*, user_id: int) -> list[StoreMembership]:
    """A staff member's active memberships of active stores, with the stores (seller center)."""
    return list(
        StoreMembership.objects.filter(user_id=user_id, is_active=True, store__is_active=True)
        .select_related("store")
        .order_by("store__code")
    )
