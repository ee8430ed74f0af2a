from django.contrib import admin
from django.db.models import Value
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from rongcheng.core.admin import ReadOnlyMixin, ServiceAdmin, Services
from rongcheng.notifications.campaigns import customer_group_delete, customer_group_save
from rongcheng.notifications.models import CustomerGroup, SandboxSms, SmsCampaign, SmsDelivery
from rongcheng.notifications.sms import sandbox_outbox_enabled
from rongcheng.notifications.sms.base import compose, masked

# Login and recovery codes sign members in: staff see them only with this permission.
SMS_CODE_PERMISSION = "notifications.view_sms_code"


@admin.register(SandboxSms)
class SandboxSmsAdmin(ModelAdmin):
    """Staff read what the sandbox SMS gateway 'delivered', codes masked unless they hold
    SMS_CODE_PERMISSION. With a real gateway the outbox is not part of the back office."""

    list_display = ["sent_at", "mobile", "text", "biz_id"]
    search_fields = ["mobile", "biz_id"]
    fields = ["mobile", "sign_name", "template_code", "parameters", "text", "biz_id", "sent_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Each row carries the viewer's right: the admin instance is shared by all requests.
        visible = request.user.has_perm(SMS_CODE_PERMISSION)
        return super().get_queryset(request).annotate(codes_visible=Value(visible))

    @admin.display(description=_("短信内容"))
    def text(self, obj: SandboxSms) -> str:
        if obj.codes_visible:
            return obj.content
        return compose(obj.sign_name, obj.template_code, masked(obj.params))

    @admin.display(description=_("模板参数"))
    def parameters(self, obj: SandboxSms) -> dict[str, str]:
        return obj.params if obj.codes_visible else masked(obj.params)

    def has_module_permission(self, request):
        return sandbox_outbox_enabled() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return sandbox_outbox_enabled() and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CustomerGroup)
class CustomerGroupAdmin(ServiceAdmin):
    """The member lists SMS campaigns go to (CALL-3); campaigns are sent from the call
    center's desk, /callcenter/sms/."""

    services = Services(customer_group_save, customer_group_delete, "group")
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    autocomplete_fields = ["members"]


class SmsDeliveryInline(ReadOnlyMixin, TabularInline):
    model = SmsDelivery
    extra = 0
    fields = ["member", "mobile", "status", "biz_id", "error", "sent_at"]
    readonly_fields = fields


@admin.register(SmsCampaign)
class SmsCampaignAdmin(ReadOnlyMixin, ModelAdmin):
    """Each campaign with every recipient's delivery status; written only by its services."""

    list_display = ["name", "kind", "group", "member", "send_at", "status", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "content"]
    list_select_related = ["group", "member"]
    inlines = [SmsDeliveryInline]
