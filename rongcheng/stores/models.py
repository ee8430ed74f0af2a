"""Experience stores and fulfillment centers (ROLE-4, ROLE-5, STORE-1) and their staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel
from rongcheng.core.translation import english_char, english_text


class Store(BaseModel):
    """A physical shop that is also an online shop and a member shop (STORE-1)."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("直营店")
        FRANCHISE_A = "franchise_a", _("加盟体验店（平台仓储质检）")
        FRANCHISE_B = "franchise_b", _("加盟体验店（自有库存）")
        FULFILLMENT = "fulfillment", _("发货中心")

    code = models.SlugField(_("门店编号"), max_length=20, unique=True)
    name = models.CharField(_("门店名称"), max_length=60)
    name_en = english_char(_("门店名称"), 100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    # Franchise (a) stores keep their goods in a platform warehouse under platform QC.
    warehouse = models.ForeignKey(
        "self",
        verbose_name=_("平台仓"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consigned_stores",
        limit_choices_to={"kind": "fulfillment"},
    )
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("城市"),
        on_delete=models.PROTECT,
        related_name="stores",
        limit_choices_to={"level": 2},
    )
    address = models.CharField(_("地址"), max_length=200)
    address_en = english_char(_("地址"), 250)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(_("营业时间"), max_length=60, default="10:00-22:00")
    phone = models.CharField(_("电话"), max_length=20)
    service_contact = models.CharField(
        _("客服联系方式"), max_length=60, blank=True, help_text=_("客服电话或微信号")
    )
    description = models.TextField(_("门店介绍"), blank=True)
    description_en = english_text(_("门店介绍"))
    is_recommended = models.BooleanField(_("推荐门店"), default=False)
    is_active = models.BooleanField(_("营业中"), default=True)

    class Meta:
        verbose_name = _("门店")
        verbose_name_plural = _("门店")
        ordering = ["city", "code"]
        indexes = [
            models.Index(fields=["city", "is_active", "kind"]),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["is_recommended", "is_active"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="franchise_a") | Q(warehouse__isnull=False),
                name="franchise_a_has_warehouse",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="store_coordinates_valid",
            ),
        ]
        permissions = [("act_for_any_store", _("代管任意门店"))]

    def __str__(self) -> str:
        return self.name


class StoreMembership(BaseModel):
    """A user works for a store in one role; services check it through access.py."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("店长")
        CLERK = "clerk", _("店员")
        FULFILLMENT = "fulfillment", _("发货员")

    store = models.ForeignKey(
        Store, verbose_name=_("门店"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("员工"),
        on_delete=models.CASCADE,
        related_name="store_memberships",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("门店员工")
        verbose_name_plural = _("门店员工")
        constraints = [
            models.UniqueConstraint(fields=["store", "user"], name="one_membership_per_store")
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.store} ({self.get_role_display()})"
