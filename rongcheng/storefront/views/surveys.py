"""问卷调查 (SURV-1): the open questionnaires, the answer page (members, and visitors where
anonymous answers are allowed) and the results for respondents where they are public."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.core.errors import ApplicationError
from rongcheng.surveys.errors import ResultsHidden
from rongcheng.surveys.models import Kind, Survey
from rongcheng.surveys.selectors import (
    has_answered,
    open_surveys,
    published_survey,
    survey_statistics,
)
from rongcheng.surveys.services import Answer, sheet_submit

ANSWERED = "surveys_answered"  # the session remembers what a visitor answered


def _answered(request, survey: Survey) -> bool:
    return survey.id in request.session.get(ANSWERED, []) or has_answered(
        survey_id=survey.id, user=request.user
    )


def _posted(request, survey: Survey) -> dict[int, Answer | None]:
    answers: dict[int, Answer | None] = {}
    for question in survey.questions.all():
        name = f"q{question.id}"
        if question.kind == Kind.MULTIPLE:
            values = request.POST.getlist(name)
            answers[question.id] = [int(v) for v in values if v.isdigit() and len(v) < 4]
        elif question.kind == Kind.TEXT:
            answers[question.id] = request.POST.get(name, "")
        else:
            value = request.POST.get(name, "")
            answers[question.id] = int(value) if value.isdigit() and len(value) < 4 else None
    return answers


def survey_list(request):
    return render(
        request,
        "community/surveys.html",
        {"page": open_surveys(page=request.GET.get("page", "1"))},
    )


def survey_answer(request, survey_id: int):
    survey = published_survey(survey_id=survey_id)
    answered = _answered(request, survey)
    if request.method == "POST" and not answered:
        try:
            sheet_submit(
                survey_id=survey.id,
                respondent=request.user if request.user.is_authenticated else None,
                answers=_posted(request, survey),
            )
            request.session[ANSWERED] = [*request.session.get(ANSWERED, []), survey.id][-50:]
            messages.success(request, _("感谢您的参与！"))
            if survey.results_public:
                return redirect("storefront:survey_results", survey_id=survey.id)
            return redirect("storefront:surveys")
        except ApplicationError as error:
            messages.error(request, str(error.message))
    return render(
        request,
        "community/survey.html",
        {
            "survey": survey,
            "answered": answered,
            "closed": timezone.now() >= survey.deadline,
            "kinds": Kind,
            "ratings": range(1, 6),
        },
    )


def survey_results(request, survey_id: int):
    survey = published_survey(survey_id=survey_id)
    if not (survey.results_public and _answered(request, survey)):
        raise ResultsHidden(_("提交问卷后才能查看结果，且仅在问卷公开结果时。"))
    return render(
        request, "community/survey_results.html", {"stats": survey_statistics(survey_id=survey.id)}
    )
