import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from config.celery import app
from rongcheng.accounts.models import SmsCode
from rongcheng.core.scheduler import EmbeddedScheduler

runs: list[str] = []


@app.task(name="tests.scheduler.record")
def record(label: str) -> None:
    runs.append(label)


@app.task(name="tests.scheduler.fail")
def fail() -> None:
    raise RuntimeError("gateway down")


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock():
    runs.clear()
    return Clock()


def entry(label: str, schedule) -> dict:
    return {"task": "tests.scheduler.record", "schedule": schedule, "args": (label,)}


def test_runs_due_entries_only(clock):
    scheduler = EmbeddedScheduler(
        beat_schedule={
            "ten": entry("ten", timedelta(minutes=10)),
            "hourly": entry("hourly", timedelta(hours=1)),
        },
        now=clock,
    )
    scheduler.tick()
    assert runs == []  # nothing runs the moment the scheduler starts, as with beat

    clock.advance(minutes=10, seconds=1)
    scheduler.tick()
    assert runs == ["ten"]

    clock.advance(minutes=5)
    scheduler.tick()
    assert runs == ["ten"]

    clock.advance(minutes=45)
    scheduler.tick()
    assert runs == ["ten", "ten", "hourly"]


def test_understands_crontab_entries(clock):
    scheduler = EmbeddedScheduler(
        beat_schedule={"nightly": entry("nightly", crontab(hour=2, minute=30))}, now=clock
    )
    clock.advance(hours=17)  # 02:00 the next day
    scheduler.tick()
    assert runs == []
    clock.advance(minutes=31)
    scheduler.tick()
    assert runs == ["nightly"]


def test_tick_says_when_to_check_next(clock):
    scheduler = EmbeddedScheduler(
        beat_schedule={"ten": entry("ten", timedelta(seconds=20))}, now=clock
    )
    clock.advance(seconds=5)
    assert scheduler.tick() == 15.0


def test_a_failing_job_is_logged_and_the_others_still_run(clock, caplog):
    scheduler = EmbeddedScheduler(
        beat_schedule={
            "broken": {"task": "tests.scheduler.fail", "schedule": timedelta(minutes=1)},
            "ten": entry("ten", timedelta(minutes=1)),
        },
        now=clock,
    )
    clock.advance(minutes=2)
    with caplog.at_level(logging.ERROR, logger="rongcheng.core.scheduler"):
        scheduler.tick()
    assert runs == ["ten"]
    assert "Periodic job broken (tests.scheduler.fail) failed" in caplog.text
    assert "gateway down" in caplog.text

    scheduler.tick()  # not retried before its next due time
    assert caplog.text.count("failed") == 1


def test_settings_schedule_objects_are_left_untouched(clock):
    nightly = crontab(hour=2, minute=30)
    EmbeddedScheduler(beat_schedule={"nightly": entry("nightly", nightly)}, now=clock)
    assert nightly.nowfun is None


@pytest.mark.django_db
def test_runs_the_configured_purge_of_expired_sms_codes():
    now = timezone.now()
    SmsCode.objects.create(
        mobile="13900000001", purpose="login", code_hash="x", expires_at=now - timedelta(days=2)
    )
    clock = Clock()
    clock.current = now
    scheduler = EmbeddedScheduler(now=clock)
    assert [e.name for e in scheduler.entries] == list(settings.CELERY_BEAT_SCHEDULE)
    clock.advance(minutes=10, seconds=1)
    scheduler.tick()
    assert SmsCode.objects.count() == 0


def test_thread_starts_and_stops_cleanly():
    scheduler = EmbeddedScheduler(beat_schedule={})
    scheduler.start()
    assert scheduler.is_alive()
    scheduler.stop()
    assert not scheduler.is_alive()
