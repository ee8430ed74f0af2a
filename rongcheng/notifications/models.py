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
