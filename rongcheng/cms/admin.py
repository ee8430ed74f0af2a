"""Back office for the home page (ADM-7): areas and their templates, ad slots, videos, notices.

Every write goes through cms.services, which purges the pages that show it."""

from django.contrib import admin
from unfold.admin import TabularInline

from rongcheng.cms.models import (
    Ad,
    AdSlot,
    DisplayTemplate,
    HomeArea,
    HomeAreaProduct,
    HomeVideo,
    PromotionNotice,
)
from rongcheng.cms.services import (
    ad_delete,
    ad_save,
    ad_slot_delete,
    ad_slot_save,
    display_template_delete,
    display_template_save,
    home_area_delete,
    home_area_save,
    home_video_delete,
    home_video_save,
    promotion_notice_delete,
    promotion_notice_save,
)
from rongcheng.core.admin import ServiceAdmin, Services


@admin.register(DisplayTemplate)
class DisplayTemplateAdmin(ServiceAdmin):
    services = Services(display_template_save, display_template_delete, "template")
    list_display = ["name", "layout", "columns", "rows"]
    search_fields = ["name"]


class AdInline(TabularInline):
    model = Ad
    services = Services(ad_save, ad_delete, "ad")
    extra = 0
    fields = ["title", "title_en", "image", "starts_at", "ends_at", "position", "is_active"]
    show_change_link = True


@admin.register(AdSlot)
class AdSlotAdmin(ServiceAdmin):
    services = Services(ad_slot_save, ad_slot_delete, "slot")
    list_display = ["name", "code", "width", "height", "is_carousel"]
    search_fields = ["name", "code"]
    inlines = [AdInline]


@admin.register(Ad)
class AdAdmin(ServiceAdmin):
    services = Services(ad_save, ad_delete, "ad")
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
class HomeAreaAdmin(ServiceAdmin):
    services = Services(home_area_save, home_area_delete, "area")
    list_display = ["title", "kind", "template", "category", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["position"]
    list_select_related = ["template", "category"]
    autocomplete_fields = ["category", "template", "ad_slot"]
    inlines = [PinInline]


@admin.register(HomeVideo)
class HomeVideoAdmin(ServiceAdmin):
    services = Services(home_video_save, home_video_delete, "video")
    list_display = ["title", "kind", "product", "rank", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["rank"]
    autocomplete_fields = ["product"]


@admin.register(PromotionNotice)
class PromotionNoticeAdmin(ServiceAdmin):
    services = Services(promotion_notice_save, promotion_notice_delete, "notice")
    list_display = ["title", "starts_at", "ends_at", "is_pinned", "is_active"]
    list_filter = ["is_pinned", "is_active"]
    search_fields = ["title", "body"]
