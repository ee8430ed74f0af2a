from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class Registration(BaseModel):
    """A member waiting for a sold-out SKU in their city (OOS-1, 到货通知)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("等待到货")
        NOTIFIED = "notified", _("已通知到货")
        CONTACTED = "contacted", _("已联系")
        ORDERED = "ordered", _("已下单")
        CLOSED = "closed", _("已关闭")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restock_registrations"
    )
    sku = models.ForeignKey("catalog.Sku", on_delete=models.CASCADE, related_name="+")
    # The SKU's product, kept for the staff's filter by product.
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("数量"))
    mobile = models.CharField(_("联系手机"), max_length=11)
    # The member agreed to be contacted about this registration (PIPL: purpose-bound).
    contact_consent = models.BooleanField(_("同意联系"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.WAITING)
    notified_at = models.DateTimeField(_("到货通知时间"), null=True, blank=True)
    # The store where the goods arrived: staff create the pick-up order there.
    arrived_store = models.ForeignKey(
        "stores.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_note = models.CharField(_("客服备注"), max_length=200, blank=True)
    order_number = models.CharField(_("订单号"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("到货通知登记")
        verbose_name_plural = _("到货通知登记")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "sku", "city"]),
            models.Index(fields=["product", "state"]),
            models.Index(fields=["member", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=99), name="restock_quantity_range"
            ),
            models.CheckConstraint(condition=Q(contact_consent=True), name="restock_consented"),
            models.UniqueConstraint(
                fields=["member", "sku"],
                condition=Q(state="waiting"),
                name="restock_one_waiting_per_sku",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} × {self.quantity}"
