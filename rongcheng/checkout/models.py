"""A checkout: what the buyer confirmed and pays at once, split into one order per store."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel
from rongcheng.orders.models import Delivery


class Checkout(BaseModel):
    number = models.CharField(_("结算单号"), max_length=24, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("买家"),
        on_delete=models.PROTECT,
        related_name="checkouts",
    )
    # Issued with the confirmation page; a repeated submission carries the same token.
    token = models.CharField(_("提交令牌"), max_length=64)
    delivery = models.CharField(_("配送方式"), max_length=10, choices=Delivery.choices)
    total = models.DecimalField(_("应付总额"), max_digits=12, decimal_places=2)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    payment_method = models.CharField(_("支付方式"), max_length=20, blank=True)
    # The payment that paid the checkout (its public number): any other payment of the same
    # checkout that succeeds later is refunded whole.
    payment_number = models.CharField(_("支付单号"), max_length=64, blank=True)
    amount_paid = models.DecimalField(
        _("实付金额"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    # What the payment brought beyond the orders it paid, to go back to the buyer.
    refund_due = models.DecimalField(_("应退金额"), default=0, max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("结算单")
        verbose_name_plural = _("结算单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "token"], name="one_checkout_per_token")
        ]

    def __str__(self) -> str:
        return self.number
