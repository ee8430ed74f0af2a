"""Periodic jobs inside the web process, for the embedded setup without Celery beat.

Reads the same `CELERY_BEAT_SCHEDULE` that beat uses in production and decides what is due with
Celery's own schedule objects, so an entry behaves alike in both setups. Each due task runs
in-process (`task.apply()`); a failing job is logged and tried again at its next due time.
"""

import copy
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from celery import Celery
from celery.schedules import BaseSchedule, maybe_schedule
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# Check at least this often (seconds), like beat's max loop interval.
MAX_SLEEP = 60.0


@dataclass
class Entry:
    name: str
    task: str
    schedule: BaseSchedule
    last_run_at: datetime
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


class EmbeddedScheduler:
    def __init__(
        self,
        *,
        app: Celery | None = None,
        beat_schedule: Mapping[str, Mapping[str, Any]] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        from config.celery import app as default_app

        self.app = app or default_app
        # Import every app's tasks.py now, as a worker does at start.
        self.app.autodiscover_tasks(force=True)
        self.now = now or self.app.now
        if beat_schedule is None:
            beat_schedule = settings.CELERY_BEAT_SCHEDULE
        started = self.now()
        self.entries = [self._entry(name, spec, started) for name, spec in beat_schedule.items()]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _entry(self, name: str, spec: Mapping[str, Any], started: datetime) -> Entry:
        # A copy, so the clock given to this scheduler never leaks into the settings' objects.
        schedule = maybe_schedule(
            copy.copy(spec["schedule"]), spec.get("relative", False), self.app
        )
        assert isinstance(schedule, BaseSchedule)
        schedule.nowfun = self.now
        # Like beat: an entry first runs one period after the scheduler starts.
        return Entry(
            name=name,
            task=spec["task"],
            schedule=schedule,
            last_run_at=started,
            args=tuple(spec.get("args", ())),
            kwargs=dict(spec.get("kwargs", {})),
        )

    def tick(self) -> float:
        """Run every due entry once; return the seconds until the next check."""
        wait = MAX_SLEEP
        for entry in self.entries:
            due, next_check = entry.schedule.is_due(entry.last_run_at)
            if due:
                entry.last_run_at = self.now()
                self._run(entry)
            wait = min(wait, next_check)
        return wait

    def _run(self, entry: Entry) -> None:
        try:
            self.app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs, throw=True)
        except Exception:
            logger.exception("Periodic job %s (%s) failed", entry.name, entry.task)
        else:
            logger.info("Periodic job %s (%s) done", entry.name, entry.task)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="embedded-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Wait for a running job to end; the thread is a daemon, so exit never hangs on it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        wait = 0.0
        while not self._stop.wait(wait):
            try:
                wait = self.tick()
            except Exception:
                logger.exception("Embedded scheduler tick failed")
                wait = MAX_SLEEP
            finally:
                # Drop broken connections and those past CONN_MAX_AGE, as the end of a request does.
                close_old_connections()
