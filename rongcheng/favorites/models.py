from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class FavoriteFolder(BaseModel):
    """A member's folder of favorites; every member has one default folder (FAV-1)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorite_folders"
    )
    name = models.CharField(_("名称"), max_length=20)
    is_default = models.BooleanField(_("默认收藏夹"), default=False)

    class Meta:
        verbose_name = _("收藏夹")
        verbose_name_plural = _("收藏夹")
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="favorite_folder_name_unique"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="favorite_folder_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Favorite(BaseModel):
    """A product or a store the member keeps, in one of their folders."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    folder = models.ForeignKey(FavoriteFolder, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    store = models.ForeignKey(
        "stores.Store", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The price when it was kept: the favorites page shows a drop below it.
    saved_price = models.DecimalField(
        _("收藏时价格"), null=True, blank=True, max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("收藏")
        verbose_name_plural = _("收藏")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["folder", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, store__isnull=True)
                | Q(product__isnull=True, store__isnull=False),
                name="favorite_product_or_store",
            ),
            models.UniqueConstraint(
                fields=["owner", "product"],
                condition=Q(product__isnull=False),
                name="favorite_product_once",
            ),
            models.UniqueConstraint(
                fields=["owner", "store"],
                condition=Q(store__isnull=False),
                name="favorite_store_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.product_id or self.store_id)
