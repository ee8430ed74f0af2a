from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action

from rongcheng.board.models import Post
from rongcheng.board.services import post_moderate, posts_publish


class ModerationForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ("state", "hide_reason", "reply", "contact_note")


@admin.register(Post)
class PostAdmin(ModelAdmin):
    """Customer service moderates: publish, hide with a reason, reply in public, and note the
    contact with the author (whose mobile shows here). Saving goes through post_moderate."""

    form = ModerationForm
    list_display = ("kind", "nickname", "mobile", "body_start", "state", "replied_at", "created_at")
    list_filter = ("kind", "state", "created_at")
    search_fields = ("body", "reply", "mobile", "nickname")
    readonly_fields = ("kind", "author", "nickname", "mobile", "body", "created_at")
    fields = (*readonly_fields, "state", "hide_reason", "reply", "contact_note")
    actions = ["publish"]

    @admin.display(description=_("内容"))
    def body_start(self, obj):
        return obj.body[:40]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        post_moderate(
            post_id=obj.pk,
            actor=request.user,
            state=obj.state,
            hide_reason=obj.hide_reason,
            reply=obj.reply,
            contact_note=obj.contact_note,
        )

    @action(description=_("发布所选留言"), permissions=["change"])
    def publish(self, request, queryset):
        count = posts_publish(
            post_ids=list(queryset.values_list("id", flat=True)), actor=request.user
        )
        messages.success(request, _("已发布 %(n)s 条。") % {"n": count})
