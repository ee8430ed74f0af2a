"""Back office for the home page (ADM-7): areas and their templates, ad slots, videos, notices."""

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from rongcheng.cms.models import (
    Ad,
    AdSlot,
    DisplayTemplate,
    HomeArea,
    HomeAreaProduct,
    HomeVideo,
    PromotionNotice,
)


@admin.register(DisplayTemplate)
class DisplayTemplateAdmin(ModelAdmin):
    list_display = ["name", "layout", "columns", "rows"]
    search_fields = ["name"]


class AdInline(TabularInline):
    model = Ad
    extra = 0
    fields = ["title", "image", "starts_at", "ends_at", "position", "is_active"]
    show_change_link = True


@admin.register(AdSlot)
class AdSlotAdmin(ModelAdmin):
    list_display = ["name", "code", "width", "height", "is_carousel"]
    search_fields = ["name", "code"]
    inlines = [AdInline]


@admin.register(Ad)
class AdAdmin(ModelAdmin):
    list_display = ["title", "slot", "starts_at", "ends_at", "position", "is_active"]
    list_filter = ["slot", "is_active"]
    search_fields = ["title"]
    list_select_related = ["slot"]
    autocomplete_fields = ["product", "category", "brand"]


class PinInline(TabularInline):
    model = HomeAreaProduct
    extra = 0
    autocomplete_fields = ["product"]


@admin.register(HomeArea)
class HomeAreaAdmin(ModelAdmin):
    list_display = ["title", "kind", "template", "category", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["position"]
    list_select_related = ["template", "category"]
    autocomplete_fields = ["category", "template", "ad_slot"]
    inlines = [PinInline]


@admin.register(HomeVideo)
class HomeVideoAdmin(ModelAdmin):
    list_display = ["title", "kind", "product", "rank", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["rank"]
    autocomplete_fields = ["product"]


@admin.register(PromotionNotice)
class PromotionNoticeAdmin(ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "is_pinned", "is_active"]
    list_filter = ["is_pinned", "is_active"]
    search_fields = ["title", "body"]
