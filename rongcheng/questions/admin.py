from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from rongcheng.core.admin import ReadOnlyMixin
from rongcheng.questions.models import Answer, Question
from rongcheng.questions.services import question_set_hidden


class AnswerInline(ReadOnlyMixin, TabularInline):
    model = Answer
    fields = ("role", "store", "author", "body", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, ModelAdmin):
    """Customer service reads every question and hides what breaks the rules; they answer on
    the product's questions page like the stores do."""

    list_display = ("body", "product", "asker", "answered_at", "is_hidden", "created_at")
    list_select_related = ("product", "asker")
    list_filter = ("is_hidden", ("answered_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("body", "product__name", "asker__username", "asker__mobile")
    readonly_fields = ("product", "asker", "body", "answered_at", "is_hidden", "created_at")
    inlines = [AnswerInline]
    actions = ["hide", "show"]

    @action(description=_("隐藏所选提问"), permissions=["moderate"])
    def hide(self, request, queryset):
        for question_id in queryset.values_list("id", flat=True):
            question_set_hidden(question_id=question_id, hidden=True)
        messages.success(request, _("已隐藏。"))

    @action(description=_("恢复显示所选提问"), permissions=["moderate"])
    def show(self, request, queryset):
        for question_id in queryset.values_list("id", flat=True):
            question_set_hidden(question_id=question_id, hidden=False)
        messages.success(request, _("已恢复显示。"))

    def has_moderate_permission(self, request):
        return request.user.has_perm("questions.answer_question")
