from django.conf import settings
from django.core.cache import cache

from rongcheng.core.money import to_fen
from rongcheng.fulfillment.calculations import FeeRule, FeeTemplate
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate

ACTIVE_FEE_TEMPLATE_CACHE_KEY = "fulfillment:active-fee-template:v1"


def active_fee_template() -> FeeTemplate | None:
    """The active template with its rules, None when none is active: from the cache, which
    every checkout reads (one query when it is cold; the services drop it on every change)."""
    cached = cache.get(ACTIVE_FEE_TEMPLATE_CACHE_KEY)
    if cached is not None:
        return cached[0]
    template = _active_fee_template()
    ttl = settings.RONGCHENG["FEE_TEMPLATE_CACHE_TTL"].total_seconds()
    # Wrapped, so that "no active template" is cached too.
    cache.set(ACTIVE_FEE_TEMPLATE_CACHE_KEY, (template,), int(ttl))
    return template


def _active_fee_template() -> FeeTemplate | None:
    rows = list(
        ShippingFeeRule.objects.filter(template__is_active=True).values(
            "template__basis",
            "region_id",
            "first_units",
            "first_fee",
            "additional_units",
            "additional_fee",
            "free_threshold",
        )
    )
    if not rows:
        return None
    rules = tuple(
        FeeRule(
            region_code=row["region_id"],
            first_units=row["first_units"],
            first_fee_fen=to_fen(row["first_fee"]),
            additional_units=row["additional_units"],
            additional_fee_fen=to_fen(row["additional_fee"]),
            free_threshold_fen=(
                None if row["free_threshold"] is None else to_fen(row["free_threshold"])
            ),
        )
        for row in rows
    )
    return FeeTemplate(rows[0]["template__basis"] == ShippingFeeTemplate.Basis.WEIGHT, rules)
