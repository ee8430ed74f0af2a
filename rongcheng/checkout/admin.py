from django.contrib import admin

from rongcheng.checkout.models import Checkout
from rongcheng.inventory.admin import ReadOnlyAdmin


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = ["number", "created_at", "buyer", "delivery", "total", "paid_at"]
    list_filter = ["delivery"]
    search_fields = ["number", "buyer__username", "buyer__mobile"]
    list_select_related = ["buyer"]
