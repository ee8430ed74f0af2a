from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action

from rongcheng.core.admin import ReadOnlyMixin
from rongcheng.core.errors import ApplicationError
from rongcheng.restock.models import Registration
from rongcheng.restock.services import restock_close, restock_mark_contacted, restock_order_create


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, ModelAdmin):
    """Staff search and filter registrations (product, SKU, city, day, state), contact the
    member, and create the order at today's price for the member to pay."""

    list_display = (
        "product",
        "sku",
        "quantity",
        "city",
        "member",
        "mobile",
        "state",
        "arrived_store",
        "order_number",
        "created_at",
    )
    list_select_related = ("product", "sku", "city", "member", "arrived_store")
    list_filter = ("state", "city", "created_at")
    search_fields = ("product__name", "product__style_code", "sku__code", "mobile")
    date_hierarchy = "created_at"
    actions = ["mark_contacted", "create_order", "close"]

    def _each(self, request, queryset, service, done: str) -> None:
        count = 0
        for registration_id in queryset.values_list("id", flat=True):
            try:
                service(registration_id)
                count += 1
            except ApplicationError as error:
                messages.error(request, f"#{registration_id}: {error.message}")
        if count:
            messages.success(request, done % {"n": count})

    @action(description=_("标记为已联系"), permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda pk: restock_mark_contacted(registration_id=pk, note=""),
            _("%(n)s 条已标记为已联系。"),
        )

    @action(description=_("按现价代客下单（到货门店自提）"), permissions=["change"])
    def create_order(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda pk: restock_order_create(registration_id=pk),
            _("已为 %(n)s 条登记下单，会员在“我的订单”中付款。"),
        )

    @action(description=_("关闭登记"), permissions=["change"])
    def close(self, request, queryset):
        self._each(
            request, queryset, lambda pk: restock_close(registration_id=pk), _("%(n)s 条已关闭。")
        )

    def has_change_permission(self, request, obj=None):
        # The actions change registrations through the services; the form stays read-only.
        return obj is None and request.user.has_perm("restock.change_registration")
