"""Pricing a checkout, purely, in fen (DESIGN convention 10).

Per order (one per shipping store): lines → discount stages → shipping → totals. Every
order-level amount is split over the order's lines by the largest-remainder rule, in
proportion to the lines' goods value, so the lines add up to their order and the orders to
the checkout, to the fen.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rongcheng.checkout.fetch import Destination, LineInfo
from rongcheng.core.money import split_by_weights
from rongcheng.fulfillment.calculations import FeeTemplate, shipping_fee_fen
from rongcheng.orders.models import Delivery


@dataclass(frozen=True)
class OrderDraft:
    """What a discount stage sees of one order."""

    store_id: int
    lines: tuple[LineInfo, ...]
    destination: Destination

    @property
    def subtotal_fen(self) -> int:
        return sum(line.unit_price_fen * line.quantity for line in self.lines)


@dataclass(frozen=True)
class Discount:
    """An order-level reduction found by a stage (a coupon, points, a gift's value …)."""

    label: str
    amount_fen: int


# A stage gets the order and the discounts earlier stages granted, and returns its own.
DiscountStage = Callable[[OrderDraft, Sequence[Discount]], Sequence[Discount]]

# Coupons, points (up to 50 %) and gift rules plug in here, in this order of application.
DISCOUNT_STAGES: tuple[DiscountStage, ...] = ()


@dataclass(frozen=True)
class PricedLine:
    line: LineInfo
    subtotal_fen: int
    discount_fen: int
    shipping_fen: int

    @property
    def total_fen(self) -> int:
        return self.subtotal_fen - self.discount_fen + self.shipping_fen


@dataclass(frozen=True)
class PricedOrder:
    store_id: int
    lines: tuple[PricedLine, ...]
    discounts: tuple[Discount, ...]
    subtotal_fen: int
    discount_fen: int
    shipping_fen: int
    weight_grams: int

    @property
    def total_fen(self) -> int:
        return self.subtotal_fen - self.discount_fen + self.shipping_fen


@dataclass(frozen=True)
class PricedCheckout:
    orders: tuple[PricedOrder, ...]

    @property
    def total_fen(self) -> int:
        return sum(order.total_fen for order in self.orders)


def order_shipping_fen(
    *,
    destination: Destination,
    template: FeeTemplate | None,
    weight_grams: int,
    pieces: int,
    goods_fen: int,
) -> int:
    """Pick-up is free; a courier order pays the template's fee for its address."""
    if destination.delivery == Delivery.PICKUP:
        return 0
    return shipping_fee_fen(
        template,
        province_code=destination.province_code,
        city_code=destination.city_code,
        weight_grams=weight_grams,
        pieces=pieces,
        goods_fen=goods_fen,
    )


def price_order(
    draft: OrderDraft,
    *,
    template: FeeTemplate | None,
    stages: Sequence[DiscountStage] = DISCOUNT_STAGES,
) -> PricedOrder:
    subtotals = [line.unit_price_fen * line.quantity for line in draft.lines]
    subtotal = sum(subtotals)
    discounts: list[Discount] = []
    for stage in stages:
        discounts.extend(stage(draft, tuple(discounts)))
    # However the stages add up, an order never costs less than nothing.
    discount = min(sum(item.amount_fen for item in discounts), subtotal)
    weight = sum(line.weight_grams * line.quantity for line in draft.lines)
    shipping = order_shipping_fen(
        destination=draft.destination,
        template=template,
        weight_grams=weight,
        pieces=sum(line.quantity for line in draft.lines),
        goods_fen=subtotal - discount,
    )
    line_discounts = split_by_weights(discount, subtotals)
    line_shipping = split_by_weights(shipping, subtotals)
    lines = tuple(
        PricedLine(line, line_subtotal, line_discount, line_fee)
        for line, line_subtotal, line_discount, line_fee in zip(
            draft.lines, subtotals, line_discounts, line_shipping, strict=True
        )
    )
    return PricedOrder(
        store_id=draft.store_id,
        lines=lines,
        discounts=tuple(discounts),
        subtotal_fen=subtotal,
        discount_fen=discount,
        shipping_fen=shipping,
        weight_grams=weight,
    )


def price_checkout(
    assignment: Mapping[int, Sequence[LineInfo]],
    *,
    destination: Destination,
    template: FeeTemplate | None,
    stages: Sequence[DiscountStage] = DISCOUNT_STAGES,
) -> PricedCheckout:
    """Price each store's order; orders in store-id order, so the result is reproducible."""
    return PricedCheckout(
        tuple(
            price_order(
                OrderDraft(store_id, tuple(assignment[store_id]), destination),
                template=template,
                stages=stages,
            )
            for store_id in sorted(assignment)
        )
    )
