"""Operations keep the shipping-fee templates (ADM-3); every save goes through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from unfold.admin import ModelAdmin, TabularInline

from rongcheng.fulfillment.errors import FeeRuleInvalid
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.services import (
    fee_rule_check,
    fee_rule_delete,
    fee_rule_save,
    fee_template_save,
)


class FeeRuleForm(forms.ModelForm):
    class Meta:
        model = ShippingFeeRule
        fields = [
            "region",
            "first_units",
            "first_fee",
            "additional_units",
            "additional_fee",
            "free_threshold",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            fee_rule_check(
                rule=ShippingFeeRule(**{name: cleaned.get(name) for name in self.Meta.fields})
            )
        except FeeRuleInvalid as error:
            raise ValidationError(str(error.message)) from error
        return cleaned


class FeeRuleInline(TabularInline):
    model = ShippingFeeRule
    form = FeeRuleForm
    extra = 1
    autocomplete_fields = ["region"]


@admin.register(ShippingFeeTemplate)
class ShippingFeeTemplateAdmin(ModelAdmin):
    list_display = ["name", "basis", "is_active", "updated_at"]
    list_filter = ["is_active", "basis"]
    inlines = [FeeRuleInline]

    def save_model(self, request, obj, form, change):
        fee_template_save(template=obj)

    def save_formset(self, request, form, formset, change):
        rules = formset.save(commit=False)
        for rule in formset.deleted_objects:
            fee_rule_delete(rule=rule)
        for rule in rules:
            fee_rule_save(rule=rule)

    def has_delete_permission(self, request, obj=None):
        # Orders keep their fee; a template is retired by activating another one.
        return False
