from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from rongcheng.core.admin import ServiceAdmin, Services
from rongcheng.helpcenter.editor import RichTextEditor
from rongcheng.helpcenter.models import Article, ArticleImage, Column
from rongcheng.helpcenter.services import (
    article_delete,
    article_image_delete,
    article_image_save,
    article_save,
    column_delete,
    column_save,
)


@admin.register(Column)
class ColumnAdmin(ServiceAdmin):
    services = Services(column_save, column_delete, "column")
    list_display = ["name", "name_en", "parent", "position", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fields = [("name", "name_en"), "parent", "position", "is_active"]


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "column",
            "title",
            "title_en",
            "summary",
            "summary_en",
            "body",
            "body_en",
            "status",
            "position",
            "topic",
        ]
        widgets = {"body": RichTextEditor(), "body_en": RichTextEditor()}


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    form = ArticleForm
    services = Services(article_save, article_delete, "article")
    list_display = ["title", "column", "status", "published_at", "position"]
    list_filter = ["status", "column"]
    search_fields = ["title", "title_en"]
    list_select_related = ["column"]
    autocomplete_fields = ["column"]
    readonly_fields = ["published_at", "pictures"]
    fieldsets = [
        (None, {"fields": ["column", ("title", "title_en"), ("summary", "summary_en")]}),
        (_("正文"), {"fields": ["pictures", "body", "body_en"]}),
        (_("发布"), {"fields": [("status", "position"), "topic", "published_at"]}),
    ]

    @admin.display(description=_("图片"))
    def pictures(self, obj):
        """The uploaded pictures: a click inserts one into the editor that has the focus
        last (helpcenter/js/editor.js)."""
        images = ArticleImage.objects.order_by("-id")[:24]
        buttons = format_html_join(
            "",
            '<button type="button" class="rc-insert-picture" data-src="{}" data-alt="{}">'
            '<img src="{}" alt="" width="64" height="64"></button>',
            ((image.image.url, image.alt, image.image.url) for image in images),
        )
        return buttons or _("还没有图片：先在“帮助图片”上传。")


@admin.register(ArticleImage)
class ArticleImageAdmin(ServiceAdmin):
    services = Services(article_image_save, article_image_delete, "image")
    list_display = ["preview", "alt", "created_at"]
    search_fields = ["alt"]
    readonly_fields = ["preview"]

    @admin.display(description=_("预览"))
    def preview(self, obj):
        if not obj.image:
            return "-"
        return format_html('<img src="{}" width="64" height="64" alt="">', obj.image.url)
