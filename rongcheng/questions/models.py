from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class Question(BaseModel):
    """A shopper's question on a product page (ROLE-1 在线提问)."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="questions"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    body = models.CharField(_("问题"), max_length=200)
    answered_at = models.DateTimeField(_("首次回答时间"), null=True, blank=True)
    # Customer service hides what breaks the rules; a hidden question shows nowhere.
    is_hidden = models.BooleanField(_("已隐藏"), default=False)

    class Meta:
        verbose_name = _("商品咨询")
        verbose_name_plural = _("商品咨询")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["product", "is_hidden", "-answered_at"]),
            models.Index(fields=["asker", "-created_at"]),
        ]
        permissions = [("answer_question", _("以平台客服身份回答商品咨询"))]

    def __str__(self) -> str:
        return self.body


class Answer(BaseModel):
    class Role(models.TextChoices):
        STORE = "store", _("门店")
        STAFF = "staff", _("平台客服")
        BUYER = "buyer", _("已购买的买家")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    role = models.CharField(_("回答者身份"), max_length=10, choices=Role.choices)
    # The store the answer speaks for (role store).
    store = models.ForeignKey(
        "stores.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.CharField(_("回答"), max_length=500)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body
