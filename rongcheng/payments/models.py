"""Payments: one per thing paid (a checkout, a wallet top-up), its events, the providers'
notifications as received, and refunds. The sandbox providers keep their own books here too."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class Provider(models.TextChoices):
    ALIPAY = "alipay", _("支付宝")
    WECHAT = "wechat", _("微信支付")
    UNIONPAY = "unionpay", _("银联在线支付")
    # Cash a store's clerk takes at the counter: no provider, recorded paid at once.
    CASH = "cash", _("门店现金")


class Channel(models.TextChoices):
    """How the buyer pays; each channel belongs to one provider (gateways.CHANNEL_PROVIDERS)."""

    ALIPAY_PAGE = "alipay_page", _("支付宝电脑网站支付")
    ALIPAY_WAP = "alipay_wap", _("支付宝手机网站支付")
    ALIPAY_QR = "alipay_qr", _("支付宝扫码支付")
    WECHAT_NATIVE = "wechat_native", _("微信扫码支付")
    WECHAT_H5 = "wechat_h5", _("微信H5支付")
    WECHAT_JSAPI = "wechat_jsapi", _("微信内支付")
    UNIONPAY_PC = "unionpay_pc", _("银联网关支付（电脑）")
    UNIONPAY_WAP = "unionpay_wap", _("银联网关支付（手机）")
    CASH_COUNTER = "cash_counter", _("门店收银台现金")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    PAID = "paid", _("已支付")
    PARTIALLY_REFUNDED = "partially_refunded", _("部分退款")
    REFUNDED = "refunded", _("已退款")
    CLOSED = "closed", _("已关闭")


class Payment(BaseModel):
    # Public number sent to the provider and shown to the buyer: date + random, unguessable.
    out_trade_no = models.CharField(_("支付单号"), max_length=64, unique=True)
    purpose = models.CharField(_("用途"), max_length=32)
    reference = models.CharField(_("业务单号"), max_length=64)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    subject = models.CharField(_("商品说明"), max_length=128)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    refunded_amount = models.DecimalField(
        _("已退金额"), default=Decimal("0.00"), max_digits=12, decimal_places=2
    )
    provider = models.CharField(_("支付机构"), max_length=16, choices=Provider.choices)
    channel = models.CharField(_("支付方式"), max_length=32, choices=Channel.choices)
    # Written only by payments.state.transition().
    status = models.CharField(
        _("状态"), max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider_trade_no = models.CharField(_("支付机构交易号"), max_length=64, blank=True)
    expires_at = models.DateTimeField(_("支付截止"))
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("支付单")
        verbose_name_plural = _("支付单")
        indexes = [
            models.Index(fields=["purpose", "reference"]),
            # The pending-payment query job selects by (status, created_at).
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="payment_refunds_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.out_trade_no


class EventType(models.TextChoices):
    PAID = "paid", _("支付成功")
    CLOSED = "closed", _("关闭")
    REFUNDED = "refunded", _("退款成功")


class EventSource(models.TextChoices):
    NOTIFICATION = "notification", _("支付通知")
    QUERY = "query", _("主动查询")
    REFUND = "refund", _("退款")
    COUNTER = "counter", _("门店收银")
    SYSTEM = "system", _("系统")


class PaymentEvent(models.Model):
    """Append-only: one row per change of a payment. Services only ever insert them.

    (provider, provider_txn_id, event_type) is unique, so the same provider transaction can
    change a payment only once however often it is reported.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("事件"), max_length=16, choices=EventType.choices)
    from_status = models.CharField(_("原状态"), max_length=24, choices=PaymentStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=24, choices=PaymentStatus.choices)
    provider = models.CharField(_("支付机构"), max_length=16, choices=Provider.choices)
    provider_txn_id = models.CharField(_("支付机构流水号"), max_length=128, blank=True)
    amount = models.DecimalField(_("金额"), null=True, blank=True, max_digits=12, decimal_places=2)
    source = models.CharField(_("来源"), max_length=16, choices=EventSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notification = models.ForeignKey(
        "GatewayNotification", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支付事件")
        verbose_name_plural = _("支付事件")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_txn_id", "event_type"],
                condition=~Q(provider_txn_id=""),
                name="payment_event_once_per_provider_txn",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.event_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Payment events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Payment events are append-only")


class Verdict(models.TextChoices):
    RECEIVED = "received", _("已接收")
    PROCESSED = "processed", _("已处理")
    DUPLICATE = "duplicate", _("重复通知")
    IGNORED = "ignored", _("无需处理")
    REFUSED = "refused", _("已拒绝")


class GatewayNotification(models.Model):
    """A provider's asynchronous notification exactly as it arrived, and what we made of it."""

    provider = models.CharField(_("支付机构"), max_length=16, choices=Provider.choices)
    body = models.TextField(_("原文"))
    headers = models.JSONField(_("请求头"), default=dict)
    verdict = models.CharField(
        _("处理结果"), max_length=16, choices=Verdict.choices, default=Verdict.RECEIVED
    )
    error = models.CharField(_("原因"), max_length=64, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("支付通知")
        verbose_name_plural = _("支付通知")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider} #{self.pk}"


class NotificationNonce(models.Model):
    """A signed notification's nonce, kept while its timestamp is fresh: the same signed
    request sent again within that window is a replay (WeChat Pay signs a nonce per request)."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "nonce"], name="notification_nonce_once")
        ]

    def __str__(self) -> str:
        return self.nonce


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("处理中")
    SUCCEEDED = "succeeded", _("退款成功")
    FAILED = "failed", _("退款失败")


class Refund(BaseModel):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    # The caller's id for this refund: asking again with it never refunds twice. Sent to the
    # provider as its refund request number (Alipay out_request_no).
    request_id = models.CharField(_("退款请求号"), max_length=64, unique=True)
    amount = models.DecimalField(_("退款金额"), max_digits=12, decimal_places=2)
    # What the refund gives back in the paying app's terms (an order number), for its
    # handlers; blank when it is money the payment brought that nothing took.
    reference = models.CharField(_("退款对象"), max_length=64, blank=True)
    reason = models.CharField(_("退款原因"), max_length=256, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    provider_refund_id = models.CharField(_("支付机构退款流水号"), max_length=128, blank=True)
    error = models.CharField(_("失败原因"), max_length=256, blank=True)
    # Refused for a passing reason (the provider busy, the merchant's balance short): the
    # retry job asks again under a new request id, at most REFUND_RETRY_ATTEMPTS times.
    retryable = models.BooleanField(_("可重试"), default=False)
    attempt = models.PositiveSmallIntegerField(_("第几次尝试"), default=1)
    retry_of = models.OneToOneField(
        "self",
        verbose_name=_("重试的退款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retry",
    )
    settled_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        # The retry job selects pending refunds by (status, updated_at).
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.request_id


class SandboxAlipayTrade(models.Model):
    """The sandbox Alipay's own record of a trade, as Alipay would keep it on its side."""

    out_trade_no = models.CharField(max_length=64, unique=True)
    trade_no = models.CharField(max_length=64, unique=True)
    app_id = models.CharField(max_length=32)
    subject = models.CharField(max_length=256)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    product_code = models.CharField(max_length=32)
    trade_status = models.CharField(max_length=16, default="WAIT_BUYER_PAY")
    notify_url = models.CharField(max_length=500, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    time_expire = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_amount = models.DecimalField(default=Decimal("0.00"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("沙箱支付宝交易")
        verbose_name_plural = _("沙箱支付宝交易")

    def __str__(self) -> str:
        return self.out_trade_no


class SandboxAlipayRefund(models.Model):
    trade = models.ForeignKey(SandboxAlipayTrade, on_delete=models.CASCADE, related_name="refunds")
    out_request_no = models.CharField(max_length=64)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trade", "out_request_no"], name="sandbox_alipay_refund_once"
            )
        ]

    def __str__(self) -> str:
        return self.out_request_no


class SandboxTrade(models.Model):
    """The books of the sandbox WeChat Pay and UnionPay: a trade as the provider keeps it.

    Amounts are in fen, as both providers count them; `extra` keeps what one provider needs
    to answer (the UnionPay order time, the WeChat channel).
    """

    provider = models.CharField(max_length=16, choices=Provider.choices)
    out_trade_no = models.CharField(max_length=64)
    trade_no = models.CharField(max_length=64, unique=True)
    merchant_id = models.CharField(max_length=32)
    app_id = models.CharField(max_length=32, blank=True)
    subject = models.CharField(max_length=256)
    amount_fen = models.PositiveBigIntegerField()
    channel = models.CharField(max_length=32)
    status = models.CharField(max_length=16, default="NOTPAY")
    notify_url = models.CharField(max_length=500, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    extra = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_fen = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("沙箱交易")
        verbose_name_plural = _("沙箱交易")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "out_trade_no"], name="sandbox_trade_once_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.out_trade_no}"


class SandboxRefund(models.Model):
    trade = models.ForeignKey(SandboxTrade, on_delete=models.CASCADE, related_name="refunds")
    out_refund_no = models.CharField(max_length=64)
    refund_no = models.CharField(max_length=64, unique=True)
    amount_fen = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, default="PROCESSING")
    notify_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trade", "out_refund_no"], name="sandbox_refund_once_per_request"
            )
        ]

    def __str__(self) -> str:
        return self.out_refund_no
