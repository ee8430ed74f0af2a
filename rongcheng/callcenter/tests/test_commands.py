"""Commands from the web processes to the engine worker over Redis (`commands.py`): the
workspace's and the supervisors' commands leave only after their transaction commits, reach
the worker in order, and become the right ESL commands on the worker's own connection."""

import json
import logging
import time

import pytest
import time_machine

from rongcheng.callcenter import commands, cti, lab_runner, supervision, worker, workspace
from rongcheng.callcenter.engine import Answered, CallOffered, Dtmf, EavesdropMode, FakeEngine
from rongcheng.callcenter.freeswitch import FreeSwitchEngine
from rongcheng.callcenter.models import Agent, Call, CallLeg
from rongcheng.callcenter.tests.factories import (
    T0,
    PumpedEngine,
    at,
    grant_supervision,
    make_agent,
    make_queue,
)
from rongcheng.callcenter.tests.fake_esl import FakeEslServer

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

A = Agent.State
CHANNEL_ENGINE = "rongcheng.callcenter.commands.WorkerChannelEngine"


@pytest.fixture(autouse=True)
def channel(settings):
    """The web side sends through the channel; the list starts and ends empty."""
    settings.CALLCENTER_ENGINE = CHANNEL_ENGINE
    workspace._engine_of.cache_clear()
    commands.connection().delete(commands.QUEUE_KEY)
    yield
    commands.connection().delete(commands.QUEUE_KEY)
    workspace._engine_of.cache_clear()


def queued() -> int:
    return commands.connection().llen(commands.QUEUE_KEY)


def drain(engine) -> int:
    taken = 0
    while commands.take(engine):
        taken += 1
    return taken


@pytest.fixture
def talking():
    """Agent 1001 talks with caller-1 (events handled by the worker's engine); 1002 is idle
    and 9001 is a supervisor's phone."""
    make_queue("consult", skill="consult", digit="2", category="consultation")
    first = make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    make_agent("1002", state=A.IDLE, idle_since=T0)
    supervisor = grant_supervision(make_agent("9001").user)
    at_worker = FakeEngine()
    cti.handle(CallOffered("caller-1", "13900000000", "4008001234", at(0)), engine=at_worker)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=at_worker)
    leg = CallLeg.objects.get()
    cti.handle(Answered(leg.engine_leg_id, at(8)), engine=at_worker)
    return first, supervisor, leg


def test_web_commands_reach_the_worker_in_order_after_the_commit(committed, talking):
    first, supervisor, leg = talking
    with time_machine.travel(at(60), tick=False), committed():
        listener = supervision.eavesdrop(
            supervisor, agent_number="1001", mode=EavesdropMode.WHISPER
        )
        second_leg = workspace.transfer(first, to_number="1002", now=at(60))
        assert queued() == 0  # nothing leaves before the commit
    with time_machine.travel(at(61), tick=False), committed():
        first.refresh_from_db()
        call_out = workspace.call_out(first, number="13911112222", now=at(61))
    assert queued() == 7

    at_worker = FakeEngine()
    with time_machine.travel(at(62), tick=False):
        assert drain(at_worker) == 7

    out_leg = CallLeg.objects.get(call=call_out)
    assert at_worker.commands == [
        ("originate", listener, "agent/9001", "13900000000"),
        ("eavesdrop", listener, leg.engine_leg_id, "whisper"),
        ("park", "caller-1"),
        ("hang_up", leg.engine_leg_id, "NORMAL_CLEARING"),
        ("originate", second_leg.engine_leg_id, "agent/1002", "13900000000"),
        ("originate", out_leg.engine_leg_id, "agent/1001", "13911112222"),
        ("originate", call_out.engine_call_id, "13911112222", "4008001234"),
    ]
    assert Call.objects.get(engine_call_id="caller-1").agent.number == "1002"


def test_the_lab_loop_performs_the_web_commands_after_its_pump(committed, talking):
    first, _supervisor, leg = talking
    with time_machine.travel(at(60), tick=False), committed():
        second_leg = workspace.transfer(first, to_number="1002", now=at(60))
    lab = PumpedEngine()
    with time_machine.travel(at(61), tick=False):
        lab_runner.serve(lab, stopping=lambda: lab.pumps == 1)
    assert lab.commands == [
        ("park", "caller-1"),
        ("hang_up", leg.engine_leg_id, "NORMAL_CLEARING"),
        ("originate", second_leg.engine_leg_id, "agent/1002", "13900000000"),
    ]
    assert queued() == 0


def test_the_worker_sends_the_esl_commands_on_its_own_connection(committed, talking, settings):
    first, supervisor, leg = talking
    settings.FREESWITCH_ESL_PASSWORD = "ClueCon"
    settings.FREESWITCH_AGENT_ENDPOINT = "user/{number}"
    settings.FREESWITCH_HOLD_MUSIC = "local_stream://moh"
    server = FakeEslServer([])
    settings.FREESWITCH_ESL_PORT = server.port
    with committed():
        listener = supervision.eavesdrop(supervisor, agent_number="1001", mode=EavesdropMode.LISTEN)
        second_leg = workspace.transfer(first, to_number="1002", now=at(60))
        workspace.engine().transfer("caller-9", destination="agent/1002")
    esl = worker.connect()
    esl.sock.settimeout(10)
    try:
        assert drain(FreeSwitchEngine.from_settings(esl)) == 6
    finally:
        esl.close()
        server.close()

    def app(channel: str, name: str, arg: str) -> str:
        return (
            f"sendmsg {channel}\ncall-command: execute\n"
            f"execute-app-name: {name}\nexecute-app-arg: {arg}"
        )

    def originate(channel: str, number: str) -> str:
        return (
            f"bgapi originate {{origination_uuid={channel},origination_caller_id_number="
            f"13900000000,ignore_early_media=true}}user/{number} &park()"
        )

    assert server.commands == [
        "auth ClueCon",
        originate(listener, "9001"),
        app(listener, "set", "eavesdrop_whisper_aleg=false"),
        app(listener, "eavesdrop", leg.engine_leg_id),
        "api uuid_broadcast caller-1 local_stream://moh aleg",
        f"api uuid_kill {leg.engine_leg_id} NORMAL_CLEARING",
        originate(second_leg.engine_leg_id, "1002"),
        "api uuid_transfer caller-9 user/1002",
    ]


def test_a_command_older_than_its_time_is_dropped(committed, settings, caplog):
    settings.CALLCENTER_COMMAND_TTL_SECONDS = 30
    sender = commands.WorkerChannelEngine()
    with time_machine.travel(T0, tick=False), committed():
        sender.hang_up("late", cause="NORMAL_CLEARING")
        sender.hang_up("in-time", cause="NORMAL_CLEARING")
    at_worker = FakeEngine()
    with time_machine.travel(at(31), tick=False), caplog.at_level(logging.WARNING):
        assert commands.take(at_worker) is True
    with time_machine.travel(at(30), tick=False):
        assert commands.take(at_worker) is True
        assert commands.take(at_worker) is False
    assert at_worker.commands == [("hang_up", "in-time", "NORMAL_CLEARING")]
    assert "31 s old" in caplog.text


def test_a_malformed_or_unknown_command_is_dropped_and_the_next_performed(caplog):
    redis = commands.connection()
    now = time.time()
    for raw in (
        "not json",
        json.dumps({"command": ["__init__", "x"], "sent_at": now}),
        json.dumps({"command": ["hang_up", "only-a-channel"], "sent_at": now}),
        json.dumps({"command": ["answer", "caller-2"], "sent_at": now}),
    ):
        redis.rpush(commands.QUEUE_KEY, raw)
    at_worker = FakeEngine()
    assert drain(at_worker) == 4
    assert at_worker.commands == [("answer", "caller-2")]
    assert caplog.text.count("Malformed engine command dropped") == 3
