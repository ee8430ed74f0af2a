"""Whole inbound calls per second through the CTI and ACD path with the in-memory engine, and
concurrent real calls through the lab (`--lab`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench .venv/bin/python bench/callcenter.py
    … bench/callcenter.py --rounds 3 --calls 500 --agents 20
    … bench/callcenter.py --lab 8 16 30

Creates its own database next to the one DATABASE_URL names (`<name>_callcenter_bench`,
migrated, dropped at the end), with one queue per IVR key and `--agents` agents holding every
skill at spread levels. One client drives each call from offer to wrap-up's end, as the engine
worker would: offered, IVR key, ACD and ringing, answered, caller hang-up, leg hang-up,
recording ready, the agent idle again. Every event is one or more transactions on PostgreSQL;
the engine's own work is not in these figures. Prints a Markdown table for bench/BENCHMARKS.md.

With `--lab`, each number is a run of that many simultaneous real SIP calls: sipp
(`sip-tester`) dials the hotline through Kamailio with `bench/sipp/hotline-caller.xml`, every
caller hears the spoken welcome, presses 2 in RFC 2833 and waits with the hold music, then
hangs up; the lab engine and CTI run in this process. A run passes when sipp completed every
call and every call reached the consult queue by its key.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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

from rongcheng.callcenter import cti  # noqa: E402
from rongcheng.callcenter.engine import (  # noqa: E402
    Answered,
    CallOffered,
    Dtmf,
    FakeEngine,
    HungUp,
    RecordingReady,
)
from rongcheng.callcenter.models import (  # noqa: E402
    Agent,
    AgentEvent,
    AgentGroup,
    AgentSkill,
    Call,
    CallLeg,
    IvrChoice,
    IvrMenu,
    IvrPrompt,
    Queue,
    Skill,
)
from rongcheng.core.testing.factories import UserFactory  # noqa: E402

SCENARIO = ROOT / "bench" / "sipp" / "hotline-caller.xml"
SIPP = shutil.which("sipp") or "/usr/bin/sipp"
QUEUED_SECONDS = 10

DIGITS = ("1", "2", "3", "0")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _build(agent_count: int) -> None:
    group = AgentGroup.objects.create(code="hotline", name="热线")
    skills = [Skill.objects.create(code=f"skill-{d}", name=d) for d in DIGITS]
    welcome = IvrPrompt.objects.create(code="welcome", text="welcome")
    menu = IvrMenu.objects.create(code="welcome", name="welcome", is_entry=True, prompt=welcome)
    for digit, skill in zip(DIGITS, skills, strict=True):
        queue = Queue.objects.create(code=f"q{digit}", name=digit, skill=skill)
        IvrChoice.objects.create(menu=menu, digit=digit, queue=queue)
    for n in range(agent_count):
        agent = Agent.objects.create(
            user=UserFactory(password=None), number=f"{1000 + n}", group=group
        )
        AgentSkill.objects.bulk_create(
            AgentSkill(agent=agent, skill=skill, level=(n + i) % 5 + 1)
            for i, skill in enumerate(skills)
        )
        cti.agent_ready(agent, engine=FakeEngine(), now=T0)


def _one_call(engine: FakeEngine, n: int, start: datetime) -> None:
    channel = f"caller-{n}"
    at = start + timedelta(seconds=n)
    cti.handle(CallOffered(channel, f"0319{5550000 + n}", "4008001234", at), engine=engine)
    cti.handle(Dtmf(channel, DIGITS[n % 4], at), engine=engine)
    leg = CallLeg.objects.select_related("agent").get(call__engine_call_id=channel)
    cti.handle(Answered(leg.engine_leg_id, at), engine=engine)
    cti.handle(HungUp(channel, "NORMAL_CLEARING", 60, at), engine=engine)
    cti.handle(HungUp(leg.engine_leg_id, "NORMAL_CLEARING", 60, at), engine=engine)
    path = cti.recording_name(leg, at)
    cti.handle(RecordingReady(leg.engine_leg_id, path, 60, at), engine=engine)
    cti.agent_ready(leg.agent, engine=engine, now=at)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _lab_run(concurrent: int) -> dict:
    """`concurrent` callers at once through Kamailio to the lab engine in this process."""
    from rongcheng.callcenter.lab_proxy import free_port
    from rongcheng.callcenter.lab_runner import lab, serve

    Call.objects.all().delete()
    hotline = free_port()
    with lab(hotline_port=hotline) as (proxy, engine):
        sipp = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [
                SIPP,
                proxy.domain,
                "-sf",
                str(SCENARIO),
                "-s",
                settings.CALLCENTER_HOTLINE,
                "-i",
                "127.0.0.1",
                "-p",
                str(free_port()),
                "-mi",
                "127.0.0.1",
                "-mp",
                str(free_port()),
                "-m",
                str(concurrent),
                "-l",
                str(concurrent),
                "-r",
                str(concurrent),
                "-d",
                str(QUEUED_SECONDS * 1000),
                "-timeout",
                "90s",
                "-nostdin",
                "-trace_err",
                "-error_file",
                os.devnull,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cpu, began = _cpu_seconds(), time.perf_counter()
        serve(engine, stopping=lambda: sipp.poll() is not None)
        wall, cpu = time.perf_counter() - began, _cpu_seconds() - cpu
        engine.run_for(1, lambda event: cti.handle(event, engine=engine))
    calls = Call.objects.select_related("queue")
    return {
        "concurrent": concurrent,
        "sipp_ok": sipp.returncode == 0,
        "offered": calls.count(),
        "queued": calls.filter(queue__code="consult").count(),
        "ended": calls.filter(ended_at__isnull=False).count(),
        "cpu": 100 * cpu / wall,
        "wall": wall,
    }


def lab_main(levels: list[int]) -> None:
    from rongcheng.callcenter.lab_proxy import installed
    from rongcheng.demo.hotline import load_hotline

    if not (installed() and Path(SIPP).exists()):
        sys.exit("apt-get install kamailio kamailio-websocket-modules rtpengine-daemon sip-tester")

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="rc-bench-media-")
    load_hotline()
    rows = [_lab_run(n) for n in levels]
    print(
        "| simultaneous calls | sipp: all completed | offered | reached 咨询 by key 2 | ended "
        "| lab process CPU | run |\n|---:|---|---:|---:|---:|---:|---:|"
    )
    for r in rows:
        print(
            f"| {r['concurrent']} | {'yes' if r['sipp_ok'] else 'no'} | {r['offered']} "
            f"| {r['queued']} | {r['ended']} | {r['cpu']:.0f} % | {r['wall']:.1f} s |"
        )
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--lab", type=int, nargs="+", metavar="CALLS", help="real calls at once")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://…")
    base_name = settings.DATABASES["default"]["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{base_name}_callcenter_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if args.lab:
            lab_main(args.lab)
            return
        _build(args.agents)
        rates = []
        for round_ in range(args.rounds):
            engine = FakeEngine()
            start = T0 + timedelta(days=round_ + 1)
            began = time.perf_counter()
            for n in range(args.calls):
                _one_call(engine, round_ * args.calls + n, start)
            rates.append(args.calls / (time.perf_counter() - began))
        total = args.rounds * args.calls
        answered = Call.objects.filter(outcome=Call.Outcome.ANSWERED, agent__isnull=False).count()
        assert answered == total, f"{answered} of {total} calls answered"
        assert not Agent.objects.exclude(state=Agent.State.IDLE).exists()
        print("| round | calls | calls/s |\n|---|---:|---:|")
        for round_, rate in enumerate(rates, 1):
            print(f"| {round_} | {args.calls} | {rate:,.0f} |")
        print(f"| **median** | | **{statistics.median(rates):,.0f}** |")
        print(
            f"\n{total} calls answered, {AgentEvent.objects.count():,} work-record events; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end."
        )
    finally:
        connection.creation.destroy_test_db(base_name, verbosity=0)


if __name__ == "__main__":
    main()
