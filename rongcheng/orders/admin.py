"""Operations follow orders here, read-only: orders change only through their services."""

from django.contrib import admin
from unfold.admin import TabularInline

from rongcheng.inventory.admin import ReadOnlyAdmin
from rongcheng.orders.models import CancellationRequest, Order, OrderEvent, OrderLine


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "sku_code",
        "product_name",
        "colour",
        "size",
        "quantity",
        "unit_price",
        "subtotal",
        "discount",
        "shipping_fee",
        "total",
    ]
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class CancellationInline(ReadOnlyInline):
    model = CancellationRequest
    fields = ["created_at", "reason", "status", "answer", "decided_by", "decided_at", "due_at"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "created_at",
        "buyer",
        "store",
        "status",
        "delivery",
        "total",
        "paid_at",
    ]
    list_filter = ["status", "delivery", "store"]
    search_fields = ["number", "checkout__number", "buyer__username", "buyer__mobile"]
    list_select_related = ["buyer", "store"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, OrderEventInline, CancellationInline]


@admin.register(CancellationRequest)
class CancellationRequestAdmin(ReadOnlyAdmin):
    list_display = ["order", "created_at", "status", "due_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["order__number"]
    list_select_related = ["order", "decided_by"]
