from rongcheng.core.money import to_fen
from rongcheng.fulfillment.calculations import FeeRule, FeeTemplate
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate


def active_fee_template() -> FeeTemplate | None:
    """The active template with its rules (one query); None when none is active."""
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
