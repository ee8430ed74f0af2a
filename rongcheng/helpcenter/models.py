"""Help articles in columns of any depth (HELPC-1, ADM-8): shopping help, member help,
payment, delivery, returns, news. Article bodies are HTML, sanitised when saved
(sanitize.py), in Chinese and in English."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel
from rongcheng.core.translation import english_char, english_text
from rongcheng.core.uploads import validate_image_upload


class Column(BaseModel):
    """A column of the help center; only the parent is stored, like the category tree."""

    name = models.CharField(_("栏目名称"), max_length=30)
    name_en = english_char(_("栏目名称"), 50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级栏目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("帮助栏目")
        verbose_name_plural = _("帮助栏目")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="column_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Article(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Topic(models.TextChoices):
        """Where pages link to an article when a question arises there."""

        ORDERING = "ordering", _("如何下单（结算页）")
        PAYMENT = "payment", _("支付方式（收银台）")
        DELIVERY = "delivery", _("配送说明（结算页）")
        REGISTRATION = "registration", _("注册与登录（注册页）")
        RETURNS = "returns", _("退换货（订单页）")

    column = models.ForeignKey(
        Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("标题"), max_length=100)
    title_en = english_char(_("标题"), 150)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    summary_en = english_char(_("摘要"), 300)
    body = models.TextField(_("正文"), blank=True)
    body_en = english_text(_("正文"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Set when the article is first published; news are listed by it.
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    topic = models.CharField(
        _("页面帮助链接"),
        max_length=20,
        choices=Topic.choices,
        blank=True,
        help_text=_("这些页面上的“帮助”链接指向本文；每个位置只能有一篇。"),
    )

    class Meta:
        verbose_name = _("帮助文章")
        verbose_name_plural = _("帮助文章")
        ordering = ["position", "-published_at", "id"]
        indexes = [models.Index(fields=["column", "status", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["topic"], condition=~Q(topic=""), name="article_one_per_topic"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ArticleImage(BaseModel):
    """A picture for articles: uploaded through the upload rules, inserted in the editor."""

    image = models.ImageField(
        _("图片"), upload_to="help/images/", validators=[validate_image_upload]
    )
    alt = models.CharField(_("说明文字"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("帮助图片")
        verbose_name_plural = _("帮助图片")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.alt or self.image.name
