from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class Kind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    RATING = "rating", _("评分（1–5）")
    TEXT = "text", _("文本")


CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
RATINGS = (1, 2, 3, 4, 5)


class OptionsMixin(models.Model):
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("题目"), max_length=200)
    options_text = models.TextField(
        _("选项"), blank=True, help_text=_("单选、多选题每行一个选项。")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.options_text.splitlines() if line.strip()]


class BankQuestion(OptionsMixin, BaseModel):
    """The question bank: questions to reuse in questionnaires."""

    class Meta:
        verbose_name = _("题库题目")
        verbose_name_plural = _("题库")
        ordering = ["-id"]


class Survey(BaseModel):
    """A questionnaire (SURV-1); a library questionnaire is a model to start new ones from."""

    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    deadline = models.DateTimeField(_("截止时间"))
    allow_anonymous = models.BooleanField(_("允许匿名作答"), default=False)
    results_public = models.BooleanField(_("答卷人可看结果"), default=False)
    is_published = models.BooleanField(_("已发布"), default=False)
    in_library = models.BooleanField(_("收入问卷库"), default=False)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["is_published", "deadline"])]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(OptionsMixin):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    bank_question = models.ForeignKey(
        BankQuestion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("来自题库"),
    )

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["position", "id"]


class Sheet(BaseModel):
    """One respondent's answer sheet; a member answers a questionnaire once."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="sheets")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_sheets",
    )

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="survey_one_sheet_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.id}"


class SheetAnswer(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="+")
    # Chosen option indexes (single: one), the rating, or the text.
    choices = models.JSONField(default=list, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.question_id}"
