"""Reports of the hotline's inbound calls over a period of site days (CALL-5): volume by day and
by hour of the day, by caller category (consultations and complaints among them), and the
service level: the share of queued calls answered within CALLCENTER_SERVICE_LEVEL_SECONDS.
Four statements whatever the period; days and hours are the site's (Asia/Shanghai)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate

from rongcheng.callcenter.models import Call, CallCategory
from rongcheng.core.dates import day_start, site_zone

# The longest period one report covers: a quarter, so a page stays small.
MAX_DAYS = 92
ANSWERED = Q(outcome=Call.Outcome.ANSWERED)
ABANDONED = Q(outcome=Call.Outcome.ABANDONED)


@dataclass(frozen=True)
class Volume:
    label: str
    offered: int
    answered: int
    abandoned: int


@dataclass(frozen=True)
class CallReport:
    since: date
    until: date
    by_day: list[Volume]
    by_hour: list[Volume]
    by_category: list[Volume]
    consultations: int
    complaints: int
    queued: int
    answered_in_time: int
    service_seconds: int

    @property
    def offered(self) -> int:
        return sum(row.offered for row in self.by_day)

    @property
    def service_level(self) -> Decimal | None:
        """Percent, one decimal; None when no call was queued."""
        if not self.queued:
            return None
        share = Decimal(100 * self.answered_in_time) / self.queued
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def report_period(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    """The period asked for, by default the last seven days, at most MAX_DAYS long."""
    until = until or today
    since = since or until - timedelta(days=6)
    if since > until:
        since, until = until, since
    return max(since, until - timedelta(days=MAX_DAYS - 1)), until


def _calls(since: date, until: date) -> QuerySet[Call]:
    return Call.objects.filter(
        direction=Call.Direction.INBOUND,
        offered_at__gte=day_start(since),
        offered_at__lt=day_start(until + timedelta(days=1)),
    )


def _counted(calls: QuerySet[Call], key: str) -> dict:
    rows = calls.values(key).annotate(
        offered=Count("pk"),
        answered=Count("pk", filter=ANSWERED),
        abandoned=Count("pk", filter=ABANDONED),
    )
    return {row[key]: row for row in rows.order_by()}


def _volume(label: str, row: dict | None) -> Volume:
    if row is None:
        return Volume(label, 0, 0, 0)
    return Volume(label, row["offered"], row["answered"], row["abandoned"])


def call_report(*, since: date, until: date) -> CallReport:
    calls = _calls(since, until)
    zone = site_zone()
    days = _counted(calls.annotate(day=TruncDate("offered_at", tzinfo=zone)), "day")
    hours = _counted(calls.annotate(hour=ExtractHour("offered_at", tzinfo=zone)), "hour")
    categories = _counted(calls, "category")
    seconds = settings.CALLCENTER_SERVICE_LEVEL_SECONDS
    level = calls.aggregate(
        queued=Count("pk", filter=Q(queued_at__isnull=False)),
        in_time=Count("pk", filter=ANSWERED & Q(wait_seconds__lte=seconds)),
    )
    period = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    by_category = [
        _volume(str(label), categories.get(value)) for value, label in CallCategory.choices
    ]
    return CallReport(
        since=since,
        until=until,
        by_day=[_volume(day.isoformat(), days.get(day)) for day in period],
        by_hour=[_volume(f"{hour:02d}:00", hours.get(hour)) for hour in range(24)],
        by_category=by_category,
        consultations=_offered_in(categories, CallCategory.CONSULTATION),
        complaints=_offered_in(categories, CallCategory.COMPLAINT),
        queued=level["queued"],
        answered_in_time=level["in_time"],
        service_seconds=seconds,
    )


def _offered_in(categories: dict, category: str) -> int:
    row = categories.get(category)
    return row["offered"] if row else 0
