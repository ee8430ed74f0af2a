"""How long the call center's clock (`timers.tick`, every 5 s) takes with many callers waiting.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench \
        .venv/bin/python bench/callcenter_tick.py --waiting 50 200 500

Creates its own database beside the one DATABASE_URL names (`<name>_tick_bench`, migrated,
dropped at the end): four queues, the first three overflowing into the last after 60 s, the
announcement prompts, and 20 agents all busy, so nothing is dispatched and the tick's cost is
its own. For each size, that many callers wait, spread over the queues, every one due for an
announcement and about a quarter past their overflow time: the worst tick, where everybody
hears their place at once. The in-memory engine takes the commands. Prints a
Markdown table for bench/BENCHMARKS.md.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rongcheng.callcenter import announcements, timers  # noqa: E402
from rongcheng.callcenter.engine import FakeEngine  # noqa: E402
from rongcheng.callcenter.models import (  # noqa: E402
    Agent,
    AgentGroup,
    AgentSkill,
    Call,
    IvrPrompt,
    Queue,
    Skill,
)
from rongcheng.core.testing.factories import UserFactory  # noqa: E402

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CODES = ("service", "consult", "complaint", "other")


def _build(agent_count: int) -> list[Queue]:
    IvrPrompt.objects.bulk_create(
        IvrPrompt(code=code, text=text, audio=f"callcenter/ivr/{code}.wav")
        for code, text in announcements.PROMPTS.items()
    )
    skills = [Skill.objects.create(code=code, name=code) for code in CODES]
    last = Queue.objects.create(code="other", name="other", skill=skills[3])
    queues = [
        Queue.objects.create(
            code=code, name=code, skill=skill, overflow_to=last, overflow_seconds=60,
            callback_after_seconds=300,
        )
        for code, skill in zip(CODES[:3], skills, strict=False)
    ] + [last]  # fmt: skip
    group = AgentGroup.objects.create(code="bench", name="bench")
    for n in range(agent_count):
        agent = Agent.objects.create(
            user=UserFactory(), number=str(1000 + n), group=group, state=Agent.State.BUSY
        )
        AgentSkill.objects.bulk_create(
            AgentSkill(agent=agent, skill=skill, level=1 + n % 5) for skill in skills
        )
    return queues


def _waiting(queues: list[Queue], count: int, now: datetime) -> None:
    Call.objects.all().delete()
    Call.objects.bulk_create(
        Call(
            engine_call_id=f"bench-{n}",
            direction=Call.Direction.INBOUND,
            caller_number=f"0477{n:07d}",
            callee_number="4008001234",
            queue=queues[n % len(queues)],
            offered_at=now - timedelta(seconds=120),
            # Half of them queued long enough to overflow.
            queued_at=now - timedelta(seconds=90 if n % 2 else 30),
            queue_entered_at=now - timedelta(seconds=90 if n % 2 else 30),
            announced_at=now - timedelta(seconds=120),
        )
        for n in range(count)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--agents", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://…")
    base_name = settings.DATABASES["default"]["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{base_name}_tick_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        queues = _build(args.agents)
        print("| callers waiting | tick s | statements | overflowed | announced | commands |")
        print("|---:|---:|---:|---:|---:|---:|")
        for count in args.waiting:
            now = T0 + timedelta(hours=count)
            _waiting(queues, count, now)
            engine = FakeEngine()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                ticked = timers.tick(engine=engine, now=now)
                seconds = time.perf_counter() - began
            assert len(ticked.announced) == count, (len(ticked.announced), count)
            print(
                f"| {count} | {seconds:.2f} | {len(queries.captured_queries):,} | "
                f"{len(ticked.overflowed)} | {len(ticked.announced)} | {len(engine.commands):,} |"
            )
        print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.")
    finally:
        connection.creation.destroy_test_db(base_name, verbosity=0)


if __name__ == "__main__":
    main()
