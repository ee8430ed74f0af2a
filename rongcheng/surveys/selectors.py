"""Reading surveys: the open questionnaires, one with its questions, whether a member has
answered, and the statistics per question and option (count and share, exact)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.surveys.errors import SurveyNotFound
from rongcheng.surveys.models import RATINGS, Kind, Sheet, SheetAnswer, Survey, SurveyQuestion

PER_PAGE = 20
CENT = Decimal("0.01")


def open_surveys(*, page: int | str = 1) -> Page:
    surveys = Survey.objects.filter(is_published=True, deadline__gt=timezone.now()).order_by(
        "deadline", "id"
    )
    return Paginator(surveys, PER_PAGE).get_page(page)


def published_survey(*, survey_id: int) -> Survey:
    """A published questionnaire with its questions (open or past its deadline)."""
    survey = (
        Survey.objects.filter(id=survey_id, is_published=True).prefetch_related("questions").first()
    )
    if survey is None:
        raise SurveyNotFound(_("没有这份问卷。"))
    return survey


def has_answered(*, survey_id: int, user: User) -> bool:
    return (
        user.is_authenticated
        and Sheet.objects.filter(survey_id=survey_id, respondent=user).exists()
    )


def survey_sheets(*, survey_id: int) -> QuerySet[Sheet]:
    return (
        Sheet.objects.filter(survey_id=survey_id)
        .select_related("respondent")
        .prefetch_related("answers")
        .order_by("id")
    )


def share(count: int, total: int) -> Decimal:
    """A percentage with two places (ROUND_HALF_UP); 0 when no one answered."""
    if not total:
        return Decimal("0.00")
    return (Decimal(count) * 100 / Decimal(total)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OptionStat:
    label: str
    count: int
    share: Decimal  # of the sheets that answered the question, in per cent


@dataclass
class QuestionStat:
    question: SurveyQuestion
    answered: int = 0
    options: list[OptionStat] = field(default_factory=list)
    average: Decimal | None = None  # ratings
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyStats:
    survey: Survey
    sheets: int
    questions: list[QuestionStat]


def survey_statistics(*, survey_id: int) -> SurveyStats:
    """Counts per option (a multiple-choice sheet counts once per option it ticked, so shares
    of one question may add up past 100%), ratings with their average, and the texts.
    Three queries whatever the number of sheets' answers."""
    survey = Survey.objects.filter(id=survey_id).first()
    if survey is None:
        raise SurveyNotFound(_("没有这份问卷。"))
    questions = list(survey.questions.all())
    sheets = Sheet.objects.filter(survey=survey).count()
    rows = SheetAnswer.objects.filter(sheet__survey=survey).values_list(
        "question_id", "choices", "rating", "text"
    )
    counts: dict[int, dict[int, int]] = {q.id: {} for q in questions}
    answered: dict[int, int] = dict.fromkeys(counts, 0)
    texts: dict[int, list[str]] = {q.id: [] for q in questions}
    for question_id, choices, rating, text in rows.order_by("id"):
        answered[question_id] += 1
        for key in choices or ([rating] if rating is not None else []):
            counts[question_id][key] = counts[question_id].get(key, 0) + 1
        if text:
            texts[question_id].append(text)
    stats = []
    for q in questions:
        total = answered[q.id]
        keys: list[tuple[int, str]] = (
            [(r, str(r)) for r in RATINGS] if q.kind == Kind.RATING else list(enumerate(q.options))
        )
        options = (
            [
                OptionStat(label, counts[q.id].get(key, 0), share(counts[q.id].get(key, 0), total))
                for key, label in keys
            ]
            if q.kind != Kind.TEXT
            else []
        )
        average = None
        if q.kind == Kind.RATING and total:
            points = sum(r * counts[q.id].get(r, 0) for r in RATINGS)
            average = (Decimal(points) / total).quantize(CENT, rounding=ROUND_HALF_UP)
        stats.append(QuestionStat(q, total, options, average, texts[q.id]))
    return SurveyStats(survey, sheets, stats)
