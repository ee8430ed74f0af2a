"""Shipping-fee templates (ADM-3): fees by region and by weight or piece count."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class ShippingFeeTemplate(BaseModel):
    """A set of fee rules; the one active template prices every courier order."""

    class Basis(models.TextChoices):
        WEIGHT = "weight", _("按重量（克）")
        PIECE = "piece", _("按件数")

    name = models.CharField(_("模板名称"), max_length=50)
    basis = models.CharField(_("计费方式"), max_length=10, choices=Basis.choices)
    is_active = models.BooleanField(_("启用"), default=False)

    class Meta:
        verbose_name = _("运费模板")
        verbose_name_plural = _("运费模板")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_fee_template"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ShippingFeeRule(BaseModel):
    """The fee to one province or city (no region: everywhere no other rule names).

    首重/首件 `first_units` for `first_fee`, then every `additional_units` started costs
    `additional_fee`; goods worth `free_threshold` or more ship free.
    """

    template = models.ForeignKey(
        ShippingFeeTemplate, on_delete=models.CASCADE, related_name="rules"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [1, 2]},
        help_text=_("省或市；留空为默认规则"),
    )
    first_units = models.PositiveIntegerField(_("首重（克）/首件"))
    first_fee = models.DecimalField(_("首费"), max_digits=12, decimal_places=2)
    additional_units = models.PositiveIntegerField(_("续重（克）/续件"))
    additional_fee = models.DecimalField(_("续费"), max_digits=12, decimal_places=2)
    free_threshold = models.DecimalField(
        _("包邮门槛"), null=True, blank=True, max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("运费规则")
        verbose_name_plural = _("运费规则")
        constraints = [
            models.UniqueConstraint(fields=["template", "region"], name="one_fee_rule_per_region"),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(region__isnull=True),
                name="one_default_fee_rule",
            ),
            models.CheckConstraint(
                condition=Q(first_units__gte=1, additional_units__gte=1),
                name="fee_rule_units_positive",
            ),
            models.CheckConstraint(
                condition=Q(first_fee__gte=0, additional_fee__gte=0)
                & (Q(free_threshold__isnull=True) | Q(free_threshold__gte=0)),
                name="fee_rule_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_id}/{self.region_id or '*'}"
