"""Operations see every store's listings, stock and stock journal; changes are made by the
stores themselves through the inventory services, so these pages are read-only."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from rongcheng.core.admin import ReadOnlyMixin
from rongcheng.inventory.models import Stock, StockMovement, StoreListing


class ReadOnlyAdmin(ReadOnlyMixin, ModelAdmin):
    pass


@admin.register(StoreListing)
class StoreListingAdmin(ReadOnlyAdmin):
    list_display = ["store", "product", "is_listed", "listed_at", "delisted_at", "sales_count"]
    list_filter = ["is_listed", "store"]
    search_fields = ["product__name", "product__style_code", "store__name"]
    list_select_related = ["store", "product"]


@admin.register(Stock)
class StockAdmin(ReadOnlyAdmin):
    list_display = ["store", "sku", "on_hand", "reserved", "updated_at"]
    list_filter = ["store"]
    search_fields = ["sku__code", "sku__product__name", "store__name"]
    list_select_related = ["store", "sku__product"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "store",
        "sku",
        "kind",
        "on_hand_delta",
        "on_hand_after",
        "reserved_after",
        "reference",
        "actor",
    ]
    list_filter = ["kind", "store"]
    search_fields = ["sku__code", "reference"]
    list_select_related = ["store", "sku__product", "actor"]
