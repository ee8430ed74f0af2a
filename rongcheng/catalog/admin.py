"""Back office for the catalogue (ADM-1): operations define what stores can sell."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import StackedInline, TabularInline
from unfold.decorators import action

from rongcheng.catalog.exports import product_export
from rongcheng.catalog.imports import product_import
from rongcheng.catalog.models import (
    Attribute,
    AttributeOption,
    Audience,
    Brand,
    BrandFeature,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    ProductType,
    Sku,
)
from rongcheng.catalog.references import product_has_history
from rongcheng.catalog.services import (
    attribute_delete,
    attribute_save,
    audience_delete,
    audience_save,
    brand_delete,
    brand_save,
    category_delete,
    category_save,
    category_validate,
    product_delete,
    product_image_thumbnail_refresh,
    product_price_refresh,
    product_save,
    product_type_delete,
    product_type_save,
)
from rongcheng.core.admin import ServiceAdmin, Services
from rongcheng.core.errors import ApplicationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "name_en",
            "parent",
            "position",
            "is_active",
            "is_recommended",
            "product_type",
        ]

    def _post_clean(self):
        super()._post_clean()
        try:
            category_validate(category=self.instance)
        except ApplicationError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error.message))


@admin.register(Category)
class CategoryAdmin(ServiceAdmin):
    form = CategoryForm
    services = Services(category_save, category_delete, "category")
    fields = [
        ("name", "name_en"),
        "parent",
        "position",
        ("is_active", "is_recommended"),
        "product_type",
    ]
    list_display = ["name", "parent", "position", "is_active", "is_recommended", "product_type"]
    list_filter = ["is_active", "is_recommended"]
    list_editable = ["position"]
    search_fields = ["name"]
    list_select_related = ["parent", "product_type"]
    autocomplete_fields = ["parent", "product_type"]
    ordering = ["parent_id", "position", "id"]


@admin.register(Audience)
class AudienceAdmin(ServiceAdmin):
    services = Services(audience_save, audience_delete, "audience")
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]


class BrandFeatureInline(TabularInline):
    model = BrandFeature
    extra = 0


@admin.register(Brand)
class BrandAdmin(ServiceAdmin):
    services = Services(brand_save, brand_delete, "brand")
    list_display = ["name", "name_latin", "in_brand_hall", "is_hot", "is_active", "position"]
    list_filter = ["in_brand_hall", "is_hot", "is_active", "audiences"]
    list_editable = ["position"]
    search_fields = ["name", "name_latin"]
    filter_horizontal = ["audiences"]
    inlines = [BrandFeatureInline]


class AttributeInline(TabularInline):
    model = Attribute
    services = Services(attribute_save, attribute_delete, "attribute")
    extra = 0
    fields = ["name", "name_en", "unit", "is_key", "position"]
    show_change_link = True


@admin.register(ProductType)
class ProductTypeAdmin(ServiceAdmin):
    services = Services(product_type_save, product_type_delete, "product_type")
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [AttributeInline]


class AttributeOptionInline(TabularInline):
    model = AttributeOption
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(ServiceAdmin):
    services = Services(attribute_save, attribute_delete, "attribute")
    list_display = ["name", "product_type", "unit", "is_key", "position"]
    list_filter = ["product_type", "is_key"]
    search_fields = ["name", "product_type__name"]
    list_select_related = ["product_type"]
    inlines = [AttributeOptionInline]


class SkuInline(StackedInline):
    """One block per SKU, its fields in short rows: a table of this many columns was cut
    off on the product page."""

    model = Sku
    extra = 0
    fields = [
        ("code", "position", "is_active"),
        ("colour", "colour_en", "colour_hex"),
        ("size", "size_en"),
        ("price", "special_price"),
        ("special_starts_at", "special_ends_at"),
    ]


class ProductImageInline(TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "preview", "colour", "alt", "alt_en", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("缩略图"))
    def preview(self, obj):
        if not obj.thumbnail:
            return "-"
        return format_html('<img src="{}" width="64" height="64" alt="">', obj.thumbnail.url)


class AttributeValueInline(TabularInline):
    model = ProductAttributeValue
    extra = 0
    autocomplete_fields = ["attribute"]
    fields = ["attribute", "option", "value", "value_en"]


class ParameterInline(TabularInline):
    model = ProductParameter
    extra = 0


# The back office keeps Django templates, which Babel does not read: the import page's words
# are given to the template from here, so they are extracted and translated.
IMPORT_TEXT = {
    "intro": _(
        "每行一个 SKU；款号相同的行组成同一个商品。按款号和 SKU 编码新建或更新；"
        "类目填完整路径，如“女装/羊绒衫/圆领羊绒衫”。有任何一行出错时不会导入任何数据。"
    ),
    "submit": _("导入"),
    "template": _("下载导入模板"),
    "back": _("返回商品列表"),
    "row": _("行号"),
    "column": _("列"),
    "problem": _("问题"),
}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("商品表（.xlsx）"))


# Shown instead of Django's deletion page for a product with a history (see IMPORT_TEXT).
RETIRE_TEXT = {
    "title": _("停售商品"),
    "intro": _(
        "门店已上架或存有此商品，库存流水和日后的订单都指向它，所以不能删除。"
        "确认后商品将停售：从商城和搜索中消失，记录保留。"
    ),
    "submit": _("确认停售"),
    "back": _("返回"),
}


@admin.register(Product)
class ProductAdmin(ServiceAdmin):
    services = Services(product_save, product_delete, "product")
    list_display = [
        "style_code",
        "name",
        "category",
        "brand",
        "price",
        "sales_count",
        "launch_date",
        "is_active",
    ]
    list_filter = ["is_active", "brand", "audience", "launch_date"]
    search_fields = ["style_code", "name", "name_en"]
    list_select_related = ["category", "brand"]
    autocomplete_fields = [
        "category",
        "brand",
        "product_type",
        "audience",
        "related_products",
        "accessories",
    ]
    readonly_fields = ["price", "sales_count"]
    date_hierarchy = "launch_date"
    inlines = [SkuInline, ProductImageInline, AttributeValueInline, ParameterInline]
    actions = ["export_selected"]
    actions_list = ["import_products", "download_template"]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ProductImage:
            changed = [obj for obj, fields in formset.changed_objects if "image" in fields]
            for image in formset.new_objects + changed:
                product_image_thumbnail_refresh(image=image)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product_price_refresh(product_ids=[form.instance.pk])

    def delete_view(self, request, object_id, extra_context=None):
        product = self.get_object(request, unquote(object_id))
        if (
            product is None
            or not self.has_delete_permission(request, product)
            or not product_has_history(product=product)
        ):
            return super().delete_view(request, object_id, extra_context)
        if request.method == "POST":
            product_delete(product=product)
            self.message_user(
                request,
                _("“%(name)s”已有门店上架或库存记录，未删除，已停售。") % {"name": product},
                messages.WARNING,
            )
            return HttpResponseRedirect(self.change_url(object_id))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": RETIRE_TEXT["title"],
            "object": product,
            "text": RETIRE_TEXT,
            "back_url": self.change_url(object_id),
        }
        return TemplateResponse(request, "catalog/admin/product_retire.html", context)

    @admin.action(description=_("导出所选商品为 Excel"))
    def export_selected(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return _xlsx_response(product_export(products=queryset), f"products-{stamp}.xlsx")

    @action(description=_("下载导入模板"), url_path="template")
    def download_template(self, request: HttpRequest):
        return _xlsx_response(product_export(products=[]), "product-template.xlsx")

    @action(description=_("导入商品"), url_path="import", permissions=["add", "change"])
    def import_products(self, request: HttpRequest):
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = product_import(form.cleaned_data["file"])
            except ApplicationError as error:
                form.add_error("file", str(error.message))
            else:
                if report.ok:
                    messages.success(
                        request,
                        _(
                            "导入完成：新建 %(pc)d 个商品、%(sc)d 个 SKU，"
                            "更新 %(pu)d 个商品、%(su)d 个 SKU。"
                        )
                        % {
                            "pc": report.products_created,
                            "sc": report.skus_created,
                            "pu": report.products_updated,
                            "su": report.skus_updated,
                        },
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入商品"),
            "form": form,
            "report": report,
            "text": IMPORT_TEXT,
        }
        if report and not report.ok:
            context["failure"] = ngettext(
                "文件有 %(n)d 处错误，未导入任何数据。请修改后重新上传。",
                "文件有 %(n)d 处错误，未导入任何数据。请修改后重新上传。",
                len(report.errors),
            ) % {"n": len(report.errors)}
        return TemplateResponse(request, "catalog/admin/product_import.html", context)
