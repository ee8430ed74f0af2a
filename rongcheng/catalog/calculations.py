"""Price math on plain dataclasses, so it runs (and is tested) without a database.

Every SKU has one national price (STORE-2); its special price counts only inside its window.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class SkuPricing:
    price: Decimal
    special_price: Decimal | None = None
    special_starts_at: datetime | None = None
    special_ends_at: datetime | None = None


@dataclass(frozen=True)
class Price:
    amount: Decimal  # what a buyer pays now
    regular: Decimal  # the national price
    is_special: bool
    special_ends_at: datetime | None = None

    @property
    def saving(self) -> Decimal:
        return self.regular - self.amount


def special_applies(sku: SkuPricing, now: datetime) -> bool:
    """The window is half-open: it starts at special_starts_at and is over at special_ends_at."""
    return (
        sku.special_price is not None
        and sku.special_starts_at is not None
        and sku.special_ends_at is not None
        and sku.special_starts_at <= now < sku.special_ends_at
    )


def sku_price(sku: SkuPricing, now: datetime) -> Price:
    if special_applies(sku, now):
        assert sku.special_price is not None
        return Price(sku.special_price, sku.price, True, sku.special_ends_at)
    return Price(sku.price, sku.price, False)


def lowest_price(skus: Iterable[SkuPricing], now: datetime) -> Price | None:
    """The 'from' price of a product: its cheapest SKU now."""
    prices = [sku_price(sku, now) for sku in skus]
    return min(prices, key=lambda p: (p.amount, not p.is_special), default=None)


def card_price(regular_min: Decimal, special_min: Decimal | None) -> Price:
    """A list card's price from the two minimums the list query annotates.

    Every special price is below its own SKU's price, so the cheapest SKU now costs the
    lower of the cheapest national price and the cheapest special price in force.
    """
    if special_min is not None and special_min < regular_min:
        return Price(special_min, regular_min, True)
    return Price(regular_min, regular_min, False)
