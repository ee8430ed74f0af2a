"""A call report as an Excel workbook (CALL-5), laid out like the page: summary, by day, by
hour, by category."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rongcheng.callcenter.reports import CallReport, Volume


def _sheet(workbook: Workbook, title: str, first: str, rows: list[Volume]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([first, _("来电"), _("接听"), _("放弃")])
    for row in rows:
        sheet.append([row.label, row.offered, row.answered, row.abandoned])
    _bold_header(sheet)


def _bold_header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def report_export(report: CallReport) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("汇总")
    summary.append([_("项目"), _("数值")])
    level = report.service_level
    for label, value in [
        (_("起始日期"), report.since.isoformat()),
        (_("截止日期"), report.until.isoformat()),
        (_("来电"), report.offered),
        (_("咨询"), report.consultations),
        (_("投诉建议"), report.complaints),
        (_("排队来电"), report.queued),
        (_("%(seconds)s 秒内接听") % {"seconds": report.service_seconds}, report.answered_in_time),
        (_("服务水平（%）"), float(level) if level is not None else None),
    ]:
        summary.append([label, value])
    _bold_header(summary)
    _sheet(workbook, _("按日"), _("日期"), report.by_day)
    _sheet(workbook, _("按小时"), _("时段"), report.by_hour)
    _sheet(workbook, _("按类别"), _("类别"), report.by_category)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
