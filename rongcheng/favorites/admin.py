from django.contrib import admin
from unfold.admin import ModelAdmin

from rongcheng.core.admin import ReadOnlyMixin
from rongcheng.favorites.models import Favorite


@admin.register(Favorite)
class FavoriteAdmin(ReadOnlyMixin, ModelAdmin):
    """What members keep (for operations' view of demand); members change it themselves."""

    list_display = ("owner", "product", "store", "folder", "saved_price", "created_at")
    list_select_related = ("owner", "product", "store", "folder")
    search_fields = ("product__name", "store__name", "owner__username", "owner__mobile")
    list_filter = ("created_at",)
