"""Back office for stores: operations create stores and fulfillment centers (ROLE-4, ROLE-5)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from rongcheng.core.admin import ServiceAdmin, Services
from rongcheng.core.errors import ApplicationError
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.services import (
    store_delete,
    store_membership_delete,
    store_membership_save,
    store_save,
    store_validate,
)


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "warehouse",
            "is_active",
            "is_recommended",
            "city",
            "address",
            "address_en",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
            "service_contact",
            "description",
            "description_en",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.instance.city_id is None:
            return  # the missing city is already reported on its field
        try:
            store_validate(store=self.instance)
        except ApplicationError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error.message))


class MembershipForm(forms.ModelForm):
    class Meta:
        model = StoreMembership
        fields = ["user", "role", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # another person is another membership: add a row for them
            self.fields["user"].disabled = True


class MembershipInline(TabularInline):
    model = StoreMembership
    form = MembershipForm
    services = Services(store_membership_save, store_membership_delete, "membership")
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_active"]


@admin.register(Store)
class StoreAdmin(ServiceAdmin):
    form = StoreForm
    services = Services(store_save, store_delete, "store")
    list_display = ["code", "name", "kind", "city", "phone", "is_recommended", "is_active"]
    list_filter = ["kind", "is_recommended", "is_active", "city"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["city"]
    autocomplete_fields = ["city", "warehouse"]
    inlines = [MembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    ("name", "name_en"),
                    "kind",
                    "warehouse",
                    ("is_active", "is_recommended"),
                ]
            },
        ),
        (_("地址"), {"fields": ["city", ("address", "address_en"), "latitude", "longitude"]}),
        (
            _("服务"),
            {
                "fields": [
                    "opening_hours",
                    "phone",
                    "service_contact",
                    ("description", "description_en"),
                ]
            },
        ),
    ]
