"""问卷调查 for the app and the mini-program (SURV-1): open questionnaires, one with its
questions, submitting the member's answer sheet, and the results where they are public."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import BodyIn, Id, Integer, JsonInteger, errors
from rongcheng.surveys.errors import ResultsHidden
from rongcheng.surveys.models import Kind
from rongcheng.surveys.selectors import (
    has_answered,
    open_surveys,
    published_survey,
    survey_statistics,
)
from rongcheng.surveys.services import TEXT_MAX, Answer, sheet_submit

router = Router(tags=["surveys"])


class SurveyQuestionOut(Schema):
    id: int
    kind: str = Field(description="single / multiple / rating (1–5) / text")
    title: str
    options: list[str]


class SurveyOut(Schema):
    id: int
    title: str
    description: str
    deadline: datetime
    allow_anonymous: bool
    results_public: bool


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]


class SurveyPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[SurveyOut]


class SurveyPageQuery(Schema):
    page: int = Field(1, ge=1)


class SurveyAnswerIn(BodyIn):
    question_id: Integer
    choices: list[Integer] = Field([], max_length=50, description="单选、多选：选项序号（从 0 起）")
    rating: Annotated[int, Field(ge=1, le=5), JsonInteger] | None = None
    text: str = Field("", max_length=TEXT_MAX)


class SurveySheetIn(BodyIn):
    answers: list[SurveyAnswerIn] = Field(max_length=200)


class SurveySheetOut(Schema):
    id: int
    created_at: datetime


class SurveyOptionOut(Schema):
    label: str
    count: int
    share: Decimal = Field(description="占答题人数的百分比，两位小数")


class SurveyQuestionStatOut(Schema):
    question_id: int
    title: str
    answered: int
    options: list[SurveyOptionOut]
    average: Decimal | None


class SurveyResultsOut(Schema):
    sheets: int
    questions: list[SurveyQuestionStatOut]


def _value(kind: str | None, answer: SurveyAnswerIn) -> Answer:
    """The answer in the form the service takes for the question's kind."""
    if kind == Kind.TEXT:
        return answer.text
    if kind == Kind.RATING:
        return answer.rating
    if kind == Kind.SINGLE and len(answer.choices) == 1:
        return answer.choices[0]
    return answer.choices


@router.get("", response=SurveyPageOut, summary="进行中的问卷")
def survey_list(request, query: Query[SurveyPageQuery]):
    page = open_surveys(page=query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": list(page.object_list),
    }


@router.get("/{survey_id}", response={200: SurveyDetailOut, **errors(404)}, summary="问卷与题目")
def survey_detail(request, survey_id: Id):
    survey = published_survey(survey_id=survey_id)
    return {
        **{name: getattr(survey, name) for name in SurveyOut.model_fields},
        "questions": [
            {"id": q.id, "kind": q.kind, "title": q.title, "options": q.options}
            for q in survey.questions.all()
        ],
    }


@router.post(
    "/{survey_id}/sheets",
    response={201: SurveySheetOut, **errors(400, 404, 409)},
    auth=member_auth,
    summary="提交答卷（每位会员一份）",
)
def sheet_create(request, survey_id: Id, payload: SurveySheetIn):
    """400 `survey_answer_invalid`: an answer does not fit its question or a choice or rating
    is missing. 409 `survey_closed` (past the deadline) or `survey_already_answered`."""
    kinds = {q.id: q.kind for q in published_survey(survey_id=survey_id).questions.all()}
    answers = {a.question_id: _value(kinds.get(a.question_id), a) for a in payload.answers}
    sheet = sheet_submit(survey_id=survey_id, respondent=request.user, answers=answers)
    return Status(201, sheet)


@router.get(
    "/{survey_id}/results",
    response={200: SurveyResultsOut, **errors(403, 404)},
    auth=member_auth,
    summary="问卷结果（问卷公开结果且本人已作答）",
)
def survey_results(request, survey_id: Id):
    """403 `survey_results_hidden`: the results are not public or the member has not answered."""
    survey = published_survey(survey_id=survey_id)
    if not (survey.results_public and has_answered(survey_id=survey.id, user=request.user)):
        raise ResultsHidden(_("提交问卷后才能查看结果，且仅在问卷公开结果时。"))
    stats = survey_statistics(survey_id=survey.id)
    return {
        "sheets": stats.sheets,
        "questions": [
            {
                "question_id": item.question.id,
                "title": item.question.title,
                "answered": item.answered,
                "options": item.options,
                "average": item.average,
            }
            for item in stats.questions
        ],
    }
