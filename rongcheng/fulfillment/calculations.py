"""Shipping-fee math on plain dataclasses, in fen (ADM-3)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FeeRule:
    region_code: str | None  # a province or city; None for the default rule
    first_units: int
    first_fee_fen: int
    additional_units: int
    additional_fee_fen: int
    free_threshold_fen: int | None


@dataclass(frozen=True)
class FeeTemplate:
    by_weight: bool
    rules: tuple[FeeRule, ...]


def rule_for(template: FeeTemplate, *, province_code: str, city_code: str) -> FeeRule | None:
    """The city's rule, else the province's, else the default one."""
    by_region = {rule.region_code: rule for rule in template.rules}
    for code in (city_code, province_code, None):
        if code in by_region:
            return by_region[code]
    return None


def shipping_fee_fen(
    template: FeeTemplate | None,
    *,
    province_code: str,
    city_code: str,
    weight_grams: int,
    pieces: int,
    goods_fen: int,
) -> int:
    """The courier fee of one order. No template, or no rule for the region: it ships free."""
    if template is None:
        return 0
    rule = rule_for(template, province_code=province_code, city_code=city_code)
    if rule is None:
        return 0
    if rule.free_threshold_fen is not None and goods_fen >= rule.free_threshold_fen:
        return 0
    units = weight_grams if template.by_weight else pieces
    beyond = max(units - rule.first_units, 0)
    steps = -(-beyond // rule.additional_units)  # every started step counts
    return rule.first_fee_fen + steps * rule.additional_fee_fen
