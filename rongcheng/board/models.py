from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class Post(BaseModel):
    """A message on the board (BOARD-1): 点评, 留言, 建议 or 投诉 (complaints and praise of the
    service, ROLE-1). Nothing shows before customer service publishes it."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("点评")
        MESSAGE = "message", _("留言")
        SUGGESTION = "suggestion", _("建议")
        COMPLAINT = "complaint", _("投诉")

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已发布")
        HIDDEN = "hidden", _("已隐藏")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    # A member, or a visitor who proved their mobile number with an SMS code.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_posts",
    )
    mobile = models.CharField(_("联系手机"), max_length=11)
    nickname = models.CharField(_("称呼"), max_length=20)
    body = models.TextField(_("内容"), max_length=1000)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    hide_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)
    reply = models.TextField(_("公开回复"), max_length=1000, blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("处理人"),
    )
    contact_note = models.CharField(_("联系作者记录"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言板")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "kind", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="hidden") | ~models.Q(hide_reason=""),
                name="board_hidden_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.body[:30]
