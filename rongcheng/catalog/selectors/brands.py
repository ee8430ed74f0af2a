"""Brands: the brand hall with its featured brands, hot brands, and brands and categories of
each other's goods on sale."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from rongcheng.catalog.models import Audience, Brand, BrandFeature, Product
from rongcheng.catalog.selectors.cards import on_sale
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryNode


@dataclass(frozen=True)
class BrandHall:
    featured: list[Brand]
    brands: list[Brand]


def audiences() -> list[Audience]:
    return list(Audience.objects.all())


def brands_featured(*, now: datetime | None = None, limit: int | None = None) -> list[Brand]:
    """The brands whose featured window is open now, 1–3 on top of the hall (BRAND-1)."""
    now = now or timezone.now()
    limit = limit or settings.RONGCHENG["FEATURED_BRANDS_MAX"]
    windows = (
        BrandFeature.objects.filter(
            starts_at__lte=now, ends_at__gt=now, brand__is_active=True, brand__in_brand_hall=True
        )
        .select_related("brand")
        .order_by("position", "starts_at", "id")
    )
    featured: dict[int, Brand] = {}
    for window in windows:
        featured.setdefault(window.brand_id, window.brand)
        if len(featured) == limit:
            break
    return list(featured.values())


def brand_hall(*, audience: str | None = None, now: datetime | None = None) -> BrandHall:
    """Paying brands: the featured ones on top, the rest below, optionally for one audience."""
    featured = brands_featured(now=now)
    brands = Brand.objects.filter(is_active=True, in_brand_hall=True).exclude(
        id__in=[brand.id for brand in featured]
    )
    if audience:
        brands = brands.filter(audiences__code=audience)
    return BrandHall(featured=featured, brands=list(brands.order_by("position", "id")))


def hot_brands(*, limit: int = 10) -> list[Brand]:
    return list(
        Brand.objects.filter(is_active=True, is_hot=True).order_by("position", "id")[:limit]
    )


def brand_get(*, brand_id: int) -> Brand | None:
    return Brand.objects.filter(id=brand_id, is_active=True).first()


def brands_active(*, audience: str = "", hall_only: bool = False) -> list[Brand]:
    """Active brands with their audiences (two queries), for the API's brand list."""
    brands = Brand.objects.filter(is_active=True)
    if hall_only:
        brands = brands.filter(in_brand_hall=True)
    if audience:
        brands = brands.filter(audiences__code=audience)
    return list(brands.prefetch_related("audiences").order_by("position", "id"))


def category_brands(*, category_id: int, limit: int = 30) -> list[Brand]:
    """Active brands with goods on sale in a category subtree (the category's shopping guide)."""
    ids = category_tree().subtree_ids(category_id)
    has_goods = Exists(
        Product.objects.filter(brand=OuterRef("pk"), category_id__in=ids, is_active=True)
    )
    return list(
        Brand.objects.filter(is_active=True).filter(has_goods).order_by("position", "id")[:limit]
    )


def brand_categories(*, brand_id: int) -> list[CategoryNode]:
    """The categories of a brand's goods on sale, in tree order."""
    # order_by(): the model's default ordering would add its columns to the DISTINCT.
    categories = on_sale().filter(brand_id=brand_id).order_by().values_list("category_id")
    ids = {category_id for (category_id,) in categories.distinct()}
    return [node for node in category_tree().walk() if node.id in ids]


def brands_with_categories() -> list[tuple[Brand, list[CategoryNode]]]:
    """Every active brand with goods on sale and the categories they are in (CAT-2 by brand)."""
    pairs = (
        on_sale().filter(brand__is_active=True).order_by().values_list("brand_id", "category_id")
    )
    by_brand: dict[int, set[int]] = {}
    for brand_id, category_id in pairs.distinct():
        by_brand.setdefault(brand_id, set()).add(category_id)
    walk = category_tree().walk()
    brands = Brand.objects.filter(id__in=list(by_brand)).order_by("position", "id")
    return [(brand, [node for node in walk if node.id in by_brand[brand.id]]) for brand in brands]
