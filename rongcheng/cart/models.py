"""The shopping bag (ORD-1): one per member, one line per SKU, kept between visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class Bag(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.CASCADE,
        related_name="bag",
    )

    class Meta:
        verbose_name = _("购物袋")
        verbose_name_plural = _("购物袋")

    def __str__(self) -> str:
        return str(self.user)


class BagLine(BaseModel):
    bag = models.ForeignKey(Bag, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(
        "catalog.Sku", verbose_name=_("SKU"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("数量"))
    # Lines the buyer ticked for the next checkout.
    selected = models.BooleanField(_("已勾选"), default=True)

    class Meta:
        verbose_name = _("购物袋商品")
        verbose_name_plural = _("购物袋商品")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bag", "sku"], name="one_bag_line_per_sku"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="bag_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} × {self.quantity}"
