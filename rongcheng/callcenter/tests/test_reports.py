from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from rongcheng.accounts import roles
from rongcheng.callcenter.models import Call, CallCategory
from rongcheng.callcenter.reports import call_report, report_period
from rongcheng.callcenter.tests.factories import make_agent, make_queue
from rongcheng.callcenter.tests.records_data import make_call
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
REPORTS = reverse("callcenter_records:reports")
EXPORT = reverse("callcenter_records:reports_export")
# 2026-03-02 09:00 and 23:30 in Shanghai are 01:00 and 15:30 UTC; 2026-03-03 00:10 is 16:10.
DAY1_0900 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY1_2330 = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
DAY2_0010 = datetime(2026, 3, 2, 16, 10, tzinfo=UTC)


def calls():
    """Seven inbound calls over two site days, one outbound that no report counts."""
    queue = make_queue("consult", skill="consult", digit="2")
    agent = make_agent("1001")
    rows = [
        # (at, category, outcome, wait seconds)
        (DAY1_0900, CallCategory.CONSULTATION, Call.Outcome.ANSWERED, 5),
        (DAY1_0900 + timedelta(minutes=20), CallCategory.CONSULTATION, Call.Outcome.ANSWERED, 20),
        (DAY1_0900 + timedelta(minutes=40), CallCategory.CONSULTATION, Call.Outcome.ANSWERED, 21),
        (DAY1_2330, CallCategory.COMPLAINT, Call.Outcome.ABANDONED, 45),
        (DAY2_0010, CallCategory.COMPLAINT, Call.Outcome.ANSWERED, 3),
        (DAY2_0010 + timedelta(minutes=5), CallCategory.SERVICE, Call.Outcome.ANSWERED, 12),
    ]
    for n, (at, category, outcome, wait) in enumerate(rows):
        make_call(f"r{n}", at, number=f"0477555000{n}", agent=agent, queue=queue,
                  queued_at=at, category=category, outcome=outcome, wait_seconds=wait)  # fmt: skip
    # Hung up in the IVR: offered, never queued, no category.
    make_call("ivr", DAY2_0010, number="04775550099", agent=None, outcome=Call.Outcome.ABANDONED)
    make_call(
        "out", DAY1_0900, number="04775550100", agent=agent, direction=Call.Direction.OUTBOUND
    )


@pytest.fixture
def supervisor():
    return roles.user_grant_role(user=UserFactory(), role=roles.CS_SUPERVISOR)


def test_the_report_counts_by_day_hour_category_and_service_level():
    calls()
    report = call_report(since=date(2026, 3, 2), until=date(2026, 3, 3))
    assert [(v.label, v.offered, v.answered, v.abandoned) for v in report.by_day] == [
        ("2026-03-02", 4, 3, 1),
        ("2026-03-03", 3, 2, 1),
    ]
    hours = {v.label: (v.offered, v.answered, v.abandoned) for v in report.by_hour if v.offered}
    assert hours == {"00:00": (3, 2, 1), "09:00": (3, 3, 0), "23:00": (1, 0, 1)}
    assert len(report.by_hour) == 24
    categories = {v.label: v.offered for v in report.by_category}
    assert categories == {"未分类": 1, "服务": 1, "咨询": 3, "投诉建议": 2, "其它": 0}
    assert (report.offered, report.consultations, report.complaints) == (7, 3, 2)
    # Queued 6; answered within 20 s: 5, 20, 3 and 12 → 4 of 6.
    assert (report.queued, report.answered_in_time) == (6, 4)
    assert report.service_level == Decimal("66.7")


def test_a_period_is_seven_days_by_default_and_at_most_a_quarter():
    today = date(2026, 3, 10)
    assert report_period(None, None, today) == (date(2026, 3, 4), today)
    assert report_period(date(2026, 3, 9), date(2026, 3, 1), today) == (
        date(2026, 3, 1), date(2026, 3, 9),
    )  # fmt: skip
    assert report_period(date(2025, 1, 1), today, today) == (date(2025, 12, 9), today)


def test_no_queued_call_has_no_service_level():
    report = call_report(since=date(2026, 3, 2), until=date(2026, 3, 2))
    assert (report.offered, report.queued, report.service_level) == (0, 0, None)


@time_machine.travel(datetime(2026, 3, 3, 4, 0, tzinfo=UTC), tick=False)
def test_the_page_shows_the_figures_and_the_charts_data(client, supervisor):
    calls()
    client.force_login(supervisor)
    page = client.get(REPORTS, {"since": "2026-03-02"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "66.7%" in html and "(4/6)" in html
    assert 'id="call-charts"' in html and "vendor/echarts/echarts.min.js" in html
    assert '"offered": [4, 3]' in html


@time_machine.travel(datetime(2026, 3, 3, 4, 0, tzinfo=UTC), tick=False)
def test_the_excel_export_has_the_same_figures(client, supervisor):
    calls()
    client.force_login(supervisor)
    answer = client.get(EXPORT, {"since": "2026-03-02", "until": "2026-03-03"})
    assert (
        answer["Content-Disposition"] == 'attachment; filename="call-report-20260302-20260303.xlsx"'
    )
    book = load_workbook(BytesIO(answer.content))
    assert book.sheetnames == ["汇总", "按日", "按小时", "按类别"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["来电"] == 7 and summary["服务水平（%）"] == 66.7
    assert summary["20 秒内接听"] == 4
    assert list(book["按日"].iter_rows(min_row=2, values_only=True)) == [
        ("2026-03-02", 4, 3, 1),
        ("2026-03-03", 3, 2, 1),
    ]


def test_an_agent_reads_no_reports(client):
    agent = make_agent("1001")
    client.force_login(agent.user)
    assert client.get(REPORTS).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_report_reads_four_statements(django_assert_num_queries):
    calls()
    with django_assert_num_queries(4):
        call_report(since=date(2026, 3, 2), until=date(2026, 3, 3))
