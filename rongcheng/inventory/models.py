"""What each store sells and holds: listings (上下架), stock per SKU, and the stock journal."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import AppendOnlyModel, BaseModel


class StoreListing(BaseModel):
    """A store's choice to sell a product of the catalogue (ROLE-4 上下架)."""

    store = models.ForeignKey(
        "stores.Store", verbose_name=_("门店"), on_delete=models.CASCADE, related_name="listings"
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("商品"),
        on_delete=models.CASCADE,
        related_name="listings",
    )
    is_listed = models.BooleanField(_("在售"), default=True)
    listed_at = models.DateTimeField(_("上架时间"), null=True, blank=True)
    delisted_at = models.DateTimeField(_("下架时间"), null=True, blank=True)
    # The store's own sales of this product, for its best-seller ranking (PDP-1).
    sales_count = models.PositiveIntegerField(_("门店销量"), default=0)

    class Meta:
        verbose_name = _("门店商品")
        verbose_name_plural = _("门店商品")
        constraints = [
            models.UniqueConstraint(fields=["store", "product"], name="one_listing_per_product")
        ]
        indexes = [
            models.Index(fields=["store", "is_listed", "-sales_count"]),
            models.Index(fields=["store", "is_listed", "-listed_at"]),
            models.Index(fields=["product", "is_listed"]),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.product_id}"


class Stock(BaseModel):
    """Units of one SKU in one store. `reserved` is held for orders not yet shipped.

    The database refuses a negative count or more reserved than on hand; services change
    the numbers only with conditional UPDATEs (F expressions), never read-modify-write.
    """

    store = models.ForeignKey(
        "stores.Store", verbose_name=_("门店"), on_delete=models.PROTECT, related_name="stock"
    )
    sku = models.ForeignKey(
        "catalog.Sku", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="stock"
    )
    on_hand = models.IntegerField(_("在库数量"), default=0)
    reserved = models.IntegerField(_("已预留"), default=0)

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [
            models.UniqueConstraint(fields=["store", "sku"], name="one_stock_row_per_sku"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_within_on_hand"
            ),
        ]
        indexes = [models.Index(fields=["sku", "store"])]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.sku_id}: {self.on_hand} ({self.reserved})"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(AppendOnlyModel):
    """One change of a stock row; rows are only ever added (the stock journal)."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("入库")
        ADJUSTMENT = "adjustment", _("盘盈盘亏")
        SALE = "sale", _("销售出库")
        RETURN = "return", _("退货入库")
        TRANSFER_IN = "transfer_in", _("调拨入库")
        TRANSFER_OUT = "transfer_out", _("调拨出库")
        RESERVATION = "reservation", _("预留")
        RELEASE = "release", _("释放预留")

    store = models.ForeignKey(
        "stores.Store", verbose_name=_("门店"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.ForeignKey(
        "catalog.Sku", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    on_hand_delta = models.IntegerField(_("在库变化"), default=0)
    reserved_delta = models.IntegerField(_("预留变化"), default=0)
    on_hand_after = models.IntegerField(_("变化后在库"))
    reserved_after = models.IntegerField(_("变化后预留"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("单据号"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["store", "sku", "-created_at"]),
            models.Index(fields=["reference"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_hand_delta:+d}"
