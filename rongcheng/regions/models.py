from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A province, city or district of mainland China, keyed by its GB/T 2260 code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        DISTRICT = 3, _("区县")

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    pinyin = models.CharField(_("拼音"), max_length=100, db_index=True)
    initials = models.CharField(_("拼音首字母"), max_length=20, db_index=True)
    english_name = models.CharField(
        _("英文名"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("为空时英文页面用拼音，如 Beijing；惯用英文名不同时填写，如 Ordos、Hohhot。"),
    )

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "pinyin"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name_en(self) -> str:
        """The English name: the one written for places known by another (Ordos, Hohhot),
        else the pinyin, the romanisation ISO 7098 prescribes (beijing → Beijing)."""
        return self.english_name or self.pinyin.title()
