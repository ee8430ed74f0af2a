from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxSms(models.Model):
    """The sandbox SMS provider's outbox: what a real gateway would have delivered."""

    mobile = models.CharField(_("手机号"), max_length=11, db_index=True)
    sign_name = models.CharField(_("签名"), max_length=20)
    template_code = models.CharField(_("模板"), max_length=40)
    params = models.JSONField(_("模板参数"))
    content = models.TextField(_("短信内容"))
    biz_id = models.CharField(_("回执号"), max_length=40, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("沙箱短信")
        verbose_name_plural = _("沙箱短信发件箱")
        ordering = ["-sent_at"]
        # Codes in the outbox sign members in: reading them is a right of its own.
        permissions = [("view_sms_code", _("查看沙箱短信中的验证码"))]

    def __str__(self) -> str:
        # Not the content: titles and breadcrumbs would show the code to every viewer.
        return f"{self.mobile} ({self.biz_id})"


class Notice(models.Model):
    """An in-site notification for one user, such as a new paid order for a store's staff."""

    class Kind(models.TextChoices):
        NEW_ORDER = "new_order", _("新订单")
        PAYMENT_REFUND = "payment_refund", _("付款退回")
        QUESTION_ANSWERED = "question_answered", _("提问有了回答")
        RESTOCK_ARRIVED = "restock_arrived", _("到货通知")
        BOARD_REPLY = "board_reply", _("留言有了回复")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.CharField(_("内容"), max_length=500, blank=True)
    # What the notice is about, e.g. an order number; pages link it to their own address.
    reference = models.CharField(_("关联单号"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "kind", "read_at"])]

    def __str__(self) -> str:
        return self.title


class CustomerGroup(models.Model):
    """A list of members kept for SMS campaigns (CALL-3), such as 东胜区 VIP 会员."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("会员"), related_name="customer_groups"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("客户群组")
        verbose_name_plural = _("客户群组")

    def __str__(self) -> str:
        return self.name


class SmsCampaign(models.Model):
    """An SMS to one member or to a customer group, now or at a set time (CALL-3). Marketing
    messages reach only members whose latest marketing-SMS consent is a yes (LAW-4)."""

    class Kind(models.TextChoices):
        MARKETING = "marketing", _("营销短信")
        SERVICE = "service", _("服务通知")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        CANCELLED = "cancelled", _("已取消")

    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    content = models.CharField(_("短信内容"), max_length=300)
    group = models.ForeignKey(
        CustomerGroup, verbose_name=_("客户群组"), null=True, blank=True, on_delete=models.PROTECT
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    send_at = models.DateTimeField(_("发送时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信群发")
        verbose_name_plural = _("短信群发")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=True) ^ models.Q(member__isnull=True),
                name="smscampaign_one_audience",
            )
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="smscampaign_due_idx")]

    def __str__(self) -> str:
        return self.name


class SmsDelivery(models.Model):
    """One recipient of a campaign and what became of the message to them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        # Taken by a sender: a sender that dies here leaves it so; never sent twice.
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已提交网关")
        FAILED = "failed", _("发送失败")
        NO_CONSENT = "no_consent", _("未同意营销短信，未发送")
        NO_MOBILE = "no_mobile", _("无手机号，未发送")

    campaign = models.ForeignKey(SmsCampaign, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+"
    )
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    biz_id = models.CharField(_("回执号"), max_length=40, blank=True)
    error = models.CharField(_("失败原因"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # When a sender last took it and how often it was taken: a sender that died leaves it
    # `sending`, and the sweep gives it one more try (`campaigns.deliveries_sweep_stuck`).
    taken_at = models.DateTimeField(_("取件时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("发送尝试次数"), default=0)

    class Meta:
        verbose_name = _("短信发送明细")
        verbose_name_plural = _("短信发送明细")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="smsdelivery_once")
        ]
        indexes = [
            models.Index(
                fields=["taken_at"],
                condition=models.Q(status="sending"),
                name="smsdelivery_stuck_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.member_id}"
