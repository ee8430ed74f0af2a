from django.contrib import admin
from unfold.admin import ModelAdmin

from rongcheng.notifications.models import SandboxSms


@admin.register(SandboxSms)
class SandboxSmsAdmin(ModelAdmin):
    """Staff read what the sandbox SMS gateway 'delivered' (codes included)."""

    list_display = ["sent_at", "mobile", "content", "biz_id"]
    search_fields = ["mobile", "biz_id"]
    readonly_fields = [
        "mobile",
        "sign_name",
        "template_code",
        "params",
        "content",
        "biz_id",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
