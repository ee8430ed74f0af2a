"""A questionnaire's statistics and answer sheets as an Excel workbook (SURV-1)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rongcheng.core.dates import local_time
from rongcheng.surveys.models import Kind
from rongcheng.surveys.selectors import survey_sheets, survey_statistics


def _bold_header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def survey_export(*, survey_id: int) -> bytes:
    stats = survey_statistics(survey_id=survey_id)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("统计")
    summary.append([_("题目"), _("选项"), _("人数"), _("占比（%）")])
    for item in stats.questions:
        if item.question.kind == Kind.TEXT:
            summary.append([item.question.title, _("（文本）"), item.answered, None])
        for option in item.options:
            summary.append([item.question.title, option.label, option.count, option.share])
    _bold_header(summary)

    answers = workbook.create_sheet(_("答卷"))
    questions = [item.question for item in stats.questions]
    answers.append([_("答卷号"), _("答卷人"), _("提交时间"), *[q.title for q in questions]])
    for sheet in survey_sheets(survey_id=survey_id):
        by_question = {answer.question_id: answer for answer in sheet.answers.all()}
        cells = []
        for question in questions:
            answer = by_question.get(question.id)
            if answer is None:
                cells.append("")
            elif question.kind == Kind.RATING:
                cells.append(answer.rating)
            elif question.kind == Kind.TEXT:
                cells.append(answer.text)
            else:
                cells.append("；".join(question.options[i] for i in answer.choices))
        who = sheet.respondent.username if sheet.respondent else _("匿名")
        answers.append([sheet.id, who, local_time(sheet.created_at).replace(tzinfo=None), *cells])
    _bold_header(answers)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
