"""What search engines are told about: the objects each sitemap section lists."""

from datetime import datetime

from django.db.models import Q, QuerySet

from rongcheng.catalog.models import Brand, Category, Product, Sku
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.helpcenter.selectors import published_articles
from rongcheng.stores.models import Store
from rongcheng.stores.selectors import SHOP_KINDS


def sitemap_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).only("id", "name", "updated_at").order_by("id")


def sitemap_categories() -> QuerySet[Category]:
    """The categories of the shop's tree: active, under active parents."""
    ids = list(category_tree().nodes)
    return Category.objects.filter(id__in=ids).only("id", "name", "updated_at").order_by("id")


def sitemap_brands() -> QuerySet[Brand]:
    return Brand.objects.filter(is_active=True).only("id", "name", "updated_at").order_by("id")


def sitemap_stores() -> QuerySet[Store]:
    """Stores a shopper can visit; fulfillment centers have no page."""
    return (
        Store.objects.filter(is_active=True, kind__in=SHOP_KINDS)
        .only("id", "name", "updated_at")
        .order_by("id")
    )


def sitemap_articles():
    """Published help articles in active columns."""
    return published_articles().only("id", "title", "updated_at").order_by("id")


def products_with_price_window_edge(*, since: datetime, until: datetime) -> list[int]:
    """Products with a special price that started or ended in (since, until]."""
    edges = Q(special_starts_at__gt=since, special_starts_at__lte=until) | Q(
        special_ends_at__gt=since, special_ends_at__lte=until
    )
    return sorted(set(Sku.objects.filter(edges).values_list("product_id", flat=True)))
