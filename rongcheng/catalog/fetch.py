"""Turn SKU rows into the plain dataclasses the price calculations take."""

from rongcheng.catalog.calculations import SkuPricing
from rongcheng.catalog.models import Sku


def sku_pricing(sku: Sku) -> SkuPricing:
    return SkuPricing(
        price=sku.price,
        special_price=sku.special_price,
        special_starts_at=sku.special_starts_at,
        special_ends_at=sku.special_ends_at,
    )
