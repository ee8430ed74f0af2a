"""Orders (one per shipping store of a checkout), their lines with the price snapshot, the
append-only event log of their lifecycle, and buyers' requests to cancel a paid order."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import AppendOnlyModel, BaseModel, StatusEvent


class Delivery(models.TextChoices):
    COURIER = "courier", _("快递配送")
    PICKUP = "pickup", _("门店自提")


class Order(BaseModel):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("待付款")
        PAID = "paid", _("待发货")
        SHIPPED = "shipped", _("已发货")
        RECEIVED = "received", _("已收货")
        COMPLETED = "completed", _("已完成")
        CANCELLED = "cancelled", _("已取消")
        CLOSED = "closed", _("已关闭")

    # Public, unguessable: the date and a random part (numbers.py). Ids never leave the server.
    number = models.CharField(_("订单号"), max_length=24, unique=True)
    checkout = models.ForeignKey(
        "checkout.Checkout",
        verbose_name=_("结算单"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("买家"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    store = models.ForeignKey(
        "stores.Store", verbose_name=_("发货门店"), on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    delivery = models.CharField(_("配送方式"), max_length=10, choices=Delivery.choices)
    # The delivery address as it was when the order was placed (empty for pick-up).
    recipient = models.CharField(_("收货人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    province = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address_detail = models.CharField(_("详细地址"), max_length=200, blank=True)
    note = models.CharField(_("买家留言"), max_length=200, blank=True)
    subtotal = models.DecimalField(_("商品金额"), max_digits=12, decimal_places=2)
    discount = models.DecimalField(_("优惠"), default=0, max_digits=12, decimal_places=2)
    shipping_fee = models.DecimalField(_("运费"), default=0, max_digits=12, decimal_places=2)
    total = models.DecimalField(_("应付金额"), max_digits=12, decimal_places=2)
    weight_grams = models.PositiveIntegerField(_("重量（克）"), default=0)
    pay_due_at = models.DateTimeField(_("付款截止"))
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    payment_method = models.CharField(_("支付方式"), max_length=20, blank=True)
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("收货时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "pay_due_at"]),
            models.Index(fields=["buyer", "status", "-created_at"]),
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["store", "status", "-created_at"]),
            models.Index(fields=["store", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount") + F("shipping_fee")),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0, discount__gte=0, shipping_fee__gte=0),
                name="order_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One SKU of an order, priced as it was sold; the order's fee and discount are split over
    its lines by the largest-remainder rule, so the lines add up to the order exactly."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("商品名称"), max_length=100)
    sku_code = models.CharField(_("SKU 编码"), max_length=40)
    colour = models.CharField(_("颜色"), max_length=20)
    size = models.CharField(_("尺码"), max_length=20)
    quantity = models.PositiveIntegerField(_("数量"))
    unit_price = models.DecimalField(_("成交单价"), max_digits=12, decimal_places=2)
    regular_price = models.DecimalField(_("全国统一价"), max_digits=12, decimal_places=2)
    subtotal = models.DecimalField(_("小计"), max_digits=12, decimal_places=2)
    discount = models.DecimalField(_("分摊优惠"), default=0, max_digits=12, decimal_places=2)
    shipping_fee = models.DecimalField(_("分摊运费"), default=0, max_digits=12, decimal_places=2)
    total = models.DecimalField(_("实付"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("订单商品")
        verbose_name_plural = _("订单商品")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "sku"], name="one_order_line_per_sku"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount") + F("shipping_fee")),
                name="order_line_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_code} × {self.quantity}"


class OrderEvent(AppendOnlyModel, StatusEvent):
    """One step of an order's lifecycle, written by orders.state in the same transaction."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    to_status = models.CharField(_("新状态"), max_length=20, choices=Order.Status.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("订单日志")
        verbose_name_plural = _("订单日志")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class CancellationRequest(BaseModel):
    """A buyer's request to cancel a paid order not yet shipped (R-12)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已同意")
        REFUSED = "refused", _("已拒绝")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="cancellation_requests")
    reason = models.CharField(_("取消原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer = models.CharField(_("拒绝理由"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    # Unanswered by then, the request is accepted by the periodic job.
    due_at = models.DateTimeField(_("自动同意时间"))

    class Meta:
        verbose_name = _("取消申请")
        verbose_name_plural = _("取消申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="pending"),
                name="one_pending_cancellation_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.get_status_display()}"
