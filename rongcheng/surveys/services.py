"""Surveys (SURV-1): questionnaires new or from the library, questions new or from the bank,
and answer sheets — members (and visitors where anonymous answers are allowed), one sheet
per member, none after the deadline."""

from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.surveys.errors import (
    AnswerInvalid,
    LoginRequired,
    SurveyAlreadyAnswered,
    SurveyClosed,
    SurveyNotFound,
)
from rongcheng.surveys.models import (
    RATINGS,
    BankQuestion,
    Kind,
    Sheet,
    SheetAnswer,
    Survey,
    SurveyQuestion,
)

TEXT_MAX = 1000
Answer = int | list[int] | str


def survey_save(*, survey: Survey) -> Survey:
    with transaction.atomic():
        survey.save()
        return survey


def survey_delete(*, survey: Survey) -> None:
    if survey.sheets.exists():
        raise SurveyAlreadyAnswered(_("已有答卷的问卷不能删除，可取消发布。"))
    survey.delete()


def survey_question_save(*, question: SurveyQuestion) -> SurveyQuestion:
    """A question taken from the bank starts as a copy of it (the bank may change later)."""
    bank = question.bank_question
    if bank is not None and not question.title:
        question.kind, question.title, question.options_text = (
            bank.kind,
            bank.title,
            bank.options_text,
        )
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE) and len(question.options) < 2:
        raise AnswerInvalid(_("单选、多选题至少要有两个选项。"), field="options_text")
    if not question.title:
        raise AnswerInvalid(_("请填写题目或从题库选题。"), field="title")
    with transaction.atomic():
        question.save()
        return question


def survey_question_delete(*, question: SurveyQuestion) -> None:
    if SheetAnswer.objects.filter(question=question).exists():
        raise SurveyAlreadyAnswered(_("已有人回答的题目不能删除。"))
    question.delete()


def bank_question_save(*, question: BankQuestion) -> BankQuestion:
    question.save()
    return question


def bank_question_delete(*, question: BankQuestion) -> None:
    question.delete()


def survey_copy(*, survey_id: int, deadline: datetime) -> Survey:
    """A new, unpublished questionnaire from one in the library, with copies of its questions."""
    with transaction.atomic():
        source = Survey.objects.filter(id=survey_id).first()
        if source is None:
            raise SurveyNotFound(_("没有这份问卷。"))
        copy = Survey.objects.create(
            title=source.title,
            description=source.description,
            deadline=deadline,
            allow_anonymous=source.allow_anonymous,
            results_public=source.results_public,
        )
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(
                survey=copy,
                position=q.position,
                kind=q.kind,
                title=q.title,
                options_text=q.options_text,
                bank_question_id=q.bank_question_id,
            )
            for q in source.questions.all()
        )
        return copy


def _checked(question: SurveyQuestion, value: Answer | None) -> SheetAnswer | None:
    label = question.title
    if question.kind == Kind.TEXT:
        text = str(value or "").strip()
        if len(text) > TEXT_MAX:
            raise AnswerInvalid(_("“%(q)s”的回答太长。") % {"q": label})
        return SheetAnswer(question=question, text=text) if text else None
    if value is None or value == [] or value == "":
        raise AnswerInvalid(_("请回答“%(q)s”。") % {"q": label})
    if question.kind == Kind.RATING:
        if not isinstance(value, int) or value not in RATINGS:
            raise AnswerInvalid(_("“%(q)s”请打 1–5 分。") % {"q": label})
        return SheetAnswer(question=question, rating=value)
    chosen: list[object] = list(value) if isinstance(value, list) else [value]
    count = len(question.options)
    if (
        not all(isinstance(i, int) and 0 <= i < count for i in chosen)
        or len(set(chosen)) != len(chosen)
        or (question.kind == Kind.SINGLE and len(chosen) != 1)
    ):
        raise AnswerInvalid(_("“%(q)s”的选项无效。") % {"q": label})
    return SheetAnswer(question=question, choices=sorted(i for i in chosen if isinstance(i, int)))


def sheet_submit(
    *, survey_id: int, respondent: User | None, answers: Mapping[int, Answer | None]
) -> Sheet:
    """Store one answer sheet. Refused, with nothing written, after the deadline, without a
    login where anonymous answers are not allowed, for a member's second sheet, or for an
    answer that does not fit its question (choices and ratings must be answered)."""
    survey = Survey.objects.filter(id=survey_id, is_published=True).first()
    if survey is None:
        raise SurveyNotFound(_("没有这份问卷。"))
    if timezone.now() >= survey.deadline:
        raise SurveyClosed(_("问卷已截止。"))
    if respondent is not None and not respondent.is_authenticated:
        respondent = None
    if respondent is None and not survey.allow_anonymous:
        raise LoginRequired(_("请登录后作答。"))
    questions = list(survey.questions.all())
    rows = [row for q in questions if (row := _checked(q, answers.get(q.id))) is not None]
    try:
        with transaction.atomic():
            sheet = Sheet.objects.create(survey=survey, respondent=respondent)
            for row in rows:
                row.sheet = sheet
            SheetAnswer.objects.bulk_create(rows)
            return sheet
    except IntegrityError:
        raise SurveyAlreadyAnswered(_("您已经提交过这份问卷。")) from None
