"""Operations see payments with their events, refunds and every notification as received.
Payments change only through the payment services, so these pages are read-only."""

from django.contrib import admin
from unfold.admin import TabularInline

from rongcheng.inventory.admin import ReadOnlyAdmin
from rongcheng.payments.models import GatewayNotification, Payment, PaymentEvent, Refund


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ["created_at", "event_type", "from_status", "to_status", "amount", "source"]


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = [
        "request_id",
        "reference",
        "amount",
        "status",
        "attempt",
        "provider_refund_id",
        "error",
        "settled_at",
    ]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "out_trade_no",
        "purpose",
        "reference",
        "buyer",
        "amount",
        "refunded_amount",
        "channel",
        "status",
        "created_at",
        "paid_at",
    ]
    list_filter = ["status", "provider", "channel", "purpose"]
    search_fields = ["out_trade_no", "reference", "provider_trade_no", "buyer__username"]
    list_select_related = ["buyer"]
    inlines = [PaymentEventInline, RefundInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = [
        "request_id",
        "payment",
        "reference",
        "amount",
        "status",
        "attempt",
        "retryable",
        "created_at",
        "settled_at",
    ]
    list_filter = ["status", "retryable"]
    search_fields = ["request_id", "reference", "payment__out_trade_no"]
    list_select_related = ["payment"]


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "verdict", "error", "payment"]
    list_filter = ["provider", "verdict"]
    search_fields = ["payment__out_trade_no", "body"]
    list_select_related = ["payment"]
