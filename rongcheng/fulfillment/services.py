"""Operations edit shipping-fee templates through these services (the admin calls them)."""

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.fulfillment.errors import FeeRuleInvalid
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.selectors import ACTIVE_FEE_TEMPLATE_CACHE_KEY
from rongcheng.regions.models import Region


def _fees_changed() -> None:
    """Drop the cached active template now (for this transaction) and again after commit, so
    no checkout can cache the old fees between the two."""
    cache.delete(ACTIVE_FEE_TEMPLATE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ACTIVE_FEE_TEMPLATE_CACHE_KEY))


def fee_template_save(*, template: ShippingFeeTemplate) -> ShippingFeeTemplate:
    """Save a template; activating it retires the template active before (one at a time)."""
    with transaction.atomic():
        if template.is_active:
            ShippingFeeTemplate.objects.filter(is_active=True).exclude(pk=template.pk).update(
                is_active=False
            )
        template.save()
        _fees_changed()
        return template


def fee_rule_check(*, rule: ShippingFeeRule) -> None:
    """Refuse a rule whose region is not a province or city, or whose numbers make no sense."""
    if rule.region_id is not None:
        level = Region.objects.filter(pk=rule.region_id).values_list("level", flat=True).first()
        if level not in (Region.Level.PROVINCE, Region.Level.CITY):
            raise FeeRuleInvalid(_("运费规则的地区须为省或市。"), field="region")
    if rule.first_units < 1 or rule.additional_units < 1:
        raise FeeRuleInvalid(_("首重（首件）与续重（续件）须至少为 1。"), field="first_units")
    amounts = [rule.first_fee, rule.additional_fee]
    if rule.free_threshold is not None:
        amounts.append(rule.free_threshold)
    if any(amount < 0 for amount in amounts):
        raise FeeRuleInvalid(_("费用和包邮门槛不能为负数。"), field="first_fee")


def fee_rule_save(*, rule: ShippingFeeRule) -> ShippingFeeRule:
    fee_rule_check(rule=rule)
    with transaction.atomic():
        rule.save()
        _fees_changed()
        return rule


def fee_rule_delete(*, rule: ShippingFeeRule) -> None:
    with transaction.atomic():
        rule.delete()
        _fees_changed()
