from datetime import timedelta

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from rongcheng.core.admin import ReadOnlyMixin, ServiceAdmin, Services
from rongcheng.core.dates import local_day
from rongcheng.surveys.exports import survey_export
from rongcheng.surveys.models import BankQuestion, Sheet, Survey, SurveyQuestion
from rongcheng.surveys.selectors import survey_statistics
from rongcheng.surveys.services import (
    bank_question_delete,
    bank_question_save,
    survey_copy,
    survey_delete,
    survey_question_delete,
    survey_question_save,
    survey_save,
)


@admin.register(BankQuestion)
class BankQuestionAdmin(ServiceAdmin):
    services = Services(bank_question_save, bank_question_delete, "question")
    list_display = ("title", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("title",)


class SurveyQuestionInline(TabularInline):
    model = SurveyQuestion
    services = Services(survey_question_save, survey_question_delete, "question")
    fields = ("position", "bank_question", "kind", "title", "options_text")
    extra = 1
    autocomplete_fields = ("bank_question",)


@admin.register(Survey)
class SurveyAdmin(ServiceAdmin):
    """Questionnaires: new or from the library (copy action), questions new or from the bank,
    the answer sheets, statistics as charts, and the Excel export."""

    services = Services(survey_save, survey_delete, "survey")
    inlines = [SurveyQuestionInline]
    list_display = ("title", "deadline", "is_published", "in_library", "allow_anonymous")
    list_filter = ("is_published", "in_library")
    search_fields = ("title",)
    actions = ["copy_from_library"]
    change_form_template = "surveys/survey_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:survey_id>/statistics/", view(self.statistics_view), name="surveys_statistics"
            ),
            path("<int:survey_id>/export/", view(self.export_view), name="surveys_export"),
            *super().get_urls(),
        ]

    def statistics_view(self, request, survey_id: int):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        stats = survey_statistics(survey_id=survey_id)
        charts = [
            {
                "title": item.question.title,
                "labels": [option.label for option in item.options],
                "counts": [option.count for option in item.options],
            }
            for item in stats.questions
            if item.options
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("问卷统计：%(title)s") % {"title": stats.survey.title},
            "stats": stats,
            "charts": charts,  # json_script encodes it
            "export_url": reverse("admin:surveys_export", args=[survey_id]),
            "sheets_url": reverse("admin:surveys_sheet_changelist")
            + f"?survey__id__exact={survey_id}",
        }
        return TemplateResponse(request, "surveys/statistics.html", context)

    def export_view(self, request, survey_id: int):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        response = HttpResponse(
            survey_export(survey_id=survey_id),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"survey-{survey_id}-{local_day():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @action(description=_("用所选问卷库问卷新建问卷"), permissions=["add"])
    def copy_from_library(self, request, queryset):
        deadline = timezone.now() + timedelta(days=30)
        for survey_id in queryset.filter(in_library=True).values_list("id", flat=True):
            survey_copy(survey_id=survey_id, deadline=deadline)
        messages.success(request, _("已新建，请修改截止时间后发布。"))


@admin.register(Sheet)
class SheetAdmin(ReadOnlyMixin, ModelAdmin):
    list_display = ("id", "survey", "respondent", "created_at")
    list_filter = ("survey",)
    list_select_related = ("survey", "respondent")
