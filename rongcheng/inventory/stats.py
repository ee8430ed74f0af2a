"""A store's figures for its seller center: what it sells and what it holds (SELL-1)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.inventory.selectors import store_skus


@dataclass(frozen=True)
class StoreFigures:
    listed_products: int
    skus_in_stock: int
    units_on_hand: int
    units_reserved: int
    skus_at_zero: int

    @property
    def units_available(self) -> int:
        return self.units_on_hand - self.units_reserved


def store_figures(*, store_id: int) -> StoreFigures:
    """Three aggregate queries, whatever the size of the store's range."""
    listed = StoreListing.objects.filter(
        store_id=store_id, is_listed=True, product__is_active=True
    ).count()
    stock = Stock.objects.filter(store_id=store_id).aggregate(
        skus=Count("id", filter=Q(on_hand__gt=0)),
        on_hand=Coalesce(Sum("on_hand"), 0),
        reserved=Coalesce(Sum("reserved"), 0),
    )
    zero = store_skus(store_id=store_id).filter(Q(on_hand=0)).count()  # an annotation
    return StoreFigures(
        listed_products=listed,
        skus_in_stock=stock["skus"],
        units_on_hand=stock["on_hand"],
        units_reserved=stock["reserved"],
        skus_at_zero=zero,
    )
