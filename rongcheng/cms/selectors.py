"""The home page as operations arranged it (HOME-1…4), read in a fixed number of queries
per area, whatever the size of the catalogue."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from rongcheng.catalog.models import Brand
from rongcheng.catalog.selectors.brands import hot_brands
from rongcheng.catalog.selectors.cards import (
    ProductCard,
    hot_sellers,
    products_by_ids,
    special_price_products,
)
from rongcheng.cms.models import Ad, HomeArea, HomeAreaProduct, HomeVideo, PromotionNotice

PRODUCT_KINDS = (HomeArea.Kind.HOT_PRODUCTS, HomeArea.Kind.SPECIAL_SALE, HomeArea.Kind.CATEGORY)


@dataclass
class HomeAreaContent:
    """One area with what it shows. Featured stores (by the visitor's position) and coupons
    are filled by the page from stores.selectors and promotions."""

    area: HomeArea
    products: list[ProductCard] = field(default_factory=list)
    ads: list[Ad] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
    videos: list[HomeVideo] = field(default_factory=list)
    notices: list[PromotionNotice] = field(default_factory=list)


def _in_window(queryset: QuerySet, now: datetime) -> QuerySet:
    return queryset.filter(is_active=True, starts_at__lte=now, ends_at__gt=now)


def ads_for_slot(*, code: str, now: datetime | None = None) -> list[Ad]:
    """The ads of a slot (home banner, category top …) inside their schedule."""
    ads = _in_window(Ad.objects.filter(slot__code=code), now or timezone.now())
    return list(ads.order_by("position", "id"))


def promotion_notices(*, now: datetime | None = None, limit: int = 10) -> list[PromotionNotice]:
    """Promotion notices in force, pinned first (HOME-4)."""
    notices = _in_window(PromotionNotice.objects.all(), now or timezone.now())
    return list(notices.order_by("-is_pinned", "-starts_at", "-id")[:limit])


def home_videos(*, limit: int = 10) -> list[HomeVideo]:
    """Home videos by rank: rank 1 plays largest and first (HOME-3)."""
    return list(HomeVideo.objects.filter(is_active=True).order_by("rank", "id")[:limit])


def _pinned(areas: list[HomeArea], now: datetime) -> dict[int, list[ProductCard]]:
    pins = list(
        HomeAreaProduct.objects.filter(area_id__in=[area.id for area in areas])
        .order_by("area_id", "position", "id")
        .values_list("area_id", "product_id")
    )
    if not pins:
        return {}
    by_id = {card.id: card for card in products_by_ids(ids=[pk for _a, pk in pins], now=now)}
    pinned: dict[int, list[ProductCard]] = {}
    for area_id, product_id in pins:
        if product_id in by_id:
            pinned.setdefault(area_id, []).append(by_id[product_id])
    return pinned


def _products(area: HomeArea, now: datetime) -> list[ProductCard]:
    limit = area.template.capacity
    if area.kind == HomeArea.Kind.SPECIAL_SALE:
        return special_price_products(limit=limit, now=now)
    if area.kind == HomeArea.Kind.CATEGORY:
        return hot_sellers(category_id=area.category_id, limit=limit)
    return hot_sellers(limit=limit)


def home_page(*, now: datetime | None = None) -> list[HomeAreaContent]:
    """The active home areas in the order set in the back office, each with its content.

    A product area shows the products pinned into it, or else fills itself: hot sellers,
    special-price goods, or the best sellers of its category subtree.
    """
    now = now or timezone.now()
    areas = list(
        HomeArea.objects.filter(is_active=True)
        .select_related("template", "category", "ad_slot")
        .order_by("position", "id")
    )
    kinds = {area.kind for area in areas}
    pinned = _pinned([area for area in areas if area.kind in PRODUCT_KINDS], now)
    slot_ids = [area.ad_slot_id for area in areas if area.ad_slot_id]
    ads: dict[int, list[Ad]] = {}
    if slot_ids:
        for ad in _in_window(Ad.objects.filter(slot_id__in=slot_ids), now).order_by(
            "position", "id"
        ):
            ads.setdefault(ad.slot_id, []).append(ad)
    brands = hot_brands(limit=20) if HomeArea.Kind.HOT_BRANDS in kinds else []
    videos = home_videos() if HomeArea.Kind.VIDEOS in kinds else []
    notices = promotion_notices(now=now) if HomeArea.Kind.NOTICES in kinds else []

    contents = []
    for area in areas:
        content = HomeAreaContent(area=area)
        capacity = area.template.capacity
        if area.kind in PRODUCT_KINDS:
            content.products = pinned.get(area.id) or _products(area, now)
        elif area.kind == HomeArea.Kind.BANNER and area.ad_slot_id:
            content.ads = ads.get(area.ad_slot_id, [])
        elif area.kind == HomeArea.Kind.HOT_BRANDS:
            content.brands = brands[:capacity]
        elif area.kind == HomeArea.Kind.VIDEOS:
            content.videos = videos[:capacity]
        elif area.kind == HomeArea.Kind.NOTICES:
            content.notices = notices[:capacity]
        contents.append(content)
    return contents


# --- Category pages -------------------------------------------------------------------------

# The slot whose ads head category pages (CAT-1).
CATEGORY_TOP_SLOT = "category-top"


def category_ads(*, category_ids: Sequence[int], now: datetime | None = None) -> list[Ad]:
    """Ads on top of a category page: those of the category-top slot that point at the
    category or one of its ancestors (`category_ids`, the breadcrumb path), and those that
    point at no category."""
    ads = _in_window(Ad.objects.filter(slot__code=CATEGORY_TOP_SLOT), now or timezone.now())
    ads = ads.filter(Q(category_id__in=list(category_ids)) | Q(category__isnull=True))
    return list(ads.order_by("position", "id"))
