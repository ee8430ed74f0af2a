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

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "pinyin"])]

    def __str__(self) -> str:
        return self.name
