from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, StackedInline, TabularInline

from rongcheng.accounts.models import Address, ConsentRecord, GroupParent, User


class AddressInline(TabularInline):
    model = Address
    extra = 0
    autocomplete_fields = ["province", "city", "district"]


class ConsentInline(TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = ["purpose", "granted", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ModelAdmin):
    list_display = [
        "username",
        "mobile",
        "email",
        "real_name",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["username", "mobile", "email", "real_name"]
    ordering = ["-date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("资料"), {"fields": ["mobile", "email", "real_name", "landline", "postcode", "city"]}),
        (
            _("权限"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("时间"), {"fields": ["last_login", "date_joined", "closed_at"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "mobile", "password1", "password2"]})]
    autocomplete_fields = ["city"]
    readonly_fields = ["last_login", "date_joined", "closed_at"]
    inlines = [AddressInline, ConsentInline]


class GroupParentInline(StackedInline):
    model = GroupParent
    fk_name = "group"
    verbose_name = _("继承自")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin, ModelAdmin):
    inlines = [GroupParentInline]
