from datetime import UTC, datetime, timedelta
from decimal import Decimal

from rongcheng.catalog.calculations import (
    Price,
    SkuPricing,
    card_price,
    lowest_price,
    sku_price,
)

START = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)
END = datetime(2026, 11, 12, 0, 0, tzinfo=UTC)
SKU = SkuPricing(Decimal("1280.00"), Decimal("899.00"), START, END)


def test_the_special_price_applies_only_inside_its_window():
    second = timedelta(seconds=1)
    assert sku_price(SKU, START - second) == Price(Decimal("1280.00"), Decimal("1280.00"), False)
    assert sku_price(SKU, START) == Price(Decimal("899.00"), Decimal("1280.00"), True, END)
    assert sku_price(SKU, END - second).amount == Decimal("899.00")
    assert sku_price(SKU, END) == Price(Decimal("1280.00"), Decimal("1280.00"), False)
    assert sku_price(SKU, END + timedelta(days=30)).is_special is False


def test_a_special_price_without_a_window_never_applies():
    open_ended = SkuPricing(Decimal("500.00"), Decimal("400.00"), START, None)
    assert sku_price(open_ended, START + timedelta(hours=1)).amount == Decimal("500.00")


def test_the_saving_is_the_difference_to_the_national_price():
    assert sku_price(SKU, START).saving == Decimal("381.00")


def test_the_lowest_price_takes_the_cheapest_sku_now():
    plain = SkuPricing(Decimal("990.00"))
    inside = START + timedelta(hours=2)
    assert lowest_price([SKU, plain], inside).amount == Decimal("899.00")
    assert lowest_price([SKU, plain], END).amount == Decimal("990.00")
    assert lowest_price([], inside) is None


def test_a_card_shows_the_lower_of_the_cheapest_national_and_special_price():
    assert card_price(Decimal("990.00"), None) == Price(Decimal("990.00"), Decimal("990.00"), False)
    assert card_price(Decimal("990.00"), Decimal("899.00")).amount == Decimal("899.00")
    assert card_price(Decimal("990.00"), Decimal("899.00")).is_special is True
    # A special price on a dearer SKU does not undercut a cheaper SKU's national price.
    assert card_price(Decimal("800.00"), Decimal("899.00")) == Price(
        Decimal("800.00"), Decimal("800.00"), False
    )
