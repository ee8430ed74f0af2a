from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from rongcheng.core.dates import as_site_time, day_start, local_day, local_time

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The four instants around the two day boundaries: midnight in Shanghai is 16:00 UTC.
AROUND_MIDNIGHT = [
    (datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), date(2026, 12, 31)),
    (datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), date(2027, 1, 1)),
    (datetime(2026, 12, 31, 15, 59, tzinfo=UTC), date(2026, 12, 31)),
    (datetime(2026, 12, 31, 16, 1, tzinfo=UTC), date(2027, 1, 1)),
]


@pytest.mark.parametrize(("instant", "day"), AROUND_MIDNIGHT)
def test_the_day_of_an_instant_is_its_day_in_shanghai(instant, day):
    assert local_day(instant) == day
    with time_machine.travel(instant, tick=False):
        assert local_day() == day
        assert local_time() == instant
        assert local_time().utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(("instant", "day"), AROUND_MIDNIGHT)
def test_the_site_day_ignores_a_time_zone_activated_for_a_request(instant, day):
    with timezone.override(UTC):
        assert local_day(instant) == day
        assert local_time(instant).tzinfo == SHANGHAI


def test_a_day_starts_at_midnight_in_shanghai_which_is_16_utc_the_day_before():
    start = day_start(date(2027, 1, 1))
    assert start == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert local_day(start) == date(2027, 1, 1)
    assert local_day(start - timedelta(microseconds=1)) == date(2026, 12, 31)


def test_a_wall_clock_time_without_zone_is_read_as_shanghai_time():
    assert as_site_time(datetime(2027, 1, 1, 0, 30)) == datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    given = datetime(2027, 1, 1, 0, 30, tzinfo=UTC)
    assert as_site_time(given) is given
    with timezone.override(UTC):
        assert as_site_time(datetime(2027, 1, 1, 0, 30)) == datetime(
            2026, 12, 31, 16, 30, tzinfo=UTC
        )
