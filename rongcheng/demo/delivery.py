"""The demo's shipping-fee template (ADM-3), by weight, made through the services."""

from decimal import Decimal

from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.services import fee_rule_save, fee_template_save
from rongcheng.regions.models import Region

NAME = "标准快递（按重量）"
# (province code or None for everywhere else, first kg fee, fee per further 500 g, free from)
RULES = [
    (None, "12.00", "4.00", "599.00"),
    ("150000", "8.00", "2.00", "299.00"),  # 内蒙古: the brand's home province
    ("650000", "25.00", "10.00", None),  # 新疆
    ("540000", "25.00", "10.00", None),  # 西藏
]


def load_fee_template() -> None:
    if ShippingFeeTemplate.objects.filter(name=NAME).exists():
        return
    template = fee_template_save(
        template=ShippingFeeTemplate(name=NAME, basis="weight", is_active=True)
    )
    known = set(
        Region.objects.filter(code__in=[r for r, *_ in RULES if r]).values_list("code", flat=True)
    )
    for region, first, additional, free in RULES:
        if region is not None and region not in known:
            continue
        fee_rule_save(
            rule=ShippingFeeRule(
                template=template,
                region_id=region,
                first_units=1000,
                first_fee=Decimal(first),
                additional_units=500,
                additional_fee=Decimal(additional),
                free_threshold=Decimal(free) if free else None,
            )
        )
