from django.contrib import admin
from unfold.admin import ModelAdmin

from rongcheng.regions.models import Region


@admin.register(Region)
class RegionAdmin(ModelAdmin):
    list_display = ["code", "name", "level", "parent", "longitude", "latitude"]
    list_filter = ["level"]
    search_fields = ["code", "name", "pinyin", "initials"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
