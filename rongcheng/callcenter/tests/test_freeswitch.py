"""The FreeSWITCH adapter against a fake event socket replaying transcripts in FreeSWITCH's
wire format: the worker's commands, and what CTI made of the events."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rongcheng.callcenter import worker
from rongcheng.callcenter.esl import EslConnection, EslError, parse_event
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallLeg, Recording
from rongcheng.callcenter.tests.factories import T0, at, make_agent, make_queue
from rongcheng.callcenter.tests.fake_esl import FakeEslServer, load_transcript

pytestmark = pytest.mark.django_db

A = Agent.State
CALLER = "6c1b2f6e-8d5e-4c1e-9a43-2b7f8a1d0c01"
MEDIA = "/srv/rongcheng/media"
PROMPTS = f"{MEDIA}/callcenter/ivr"
MENU = f"1 1 1 5000 # {PROMPTS}/welcome.wav silence_stream://250 rc_ivr_digit ^[0-9*]+$"


@pytest.fixture(autouse=True)
def keep_the_test_transaction(monkeypatch):
    """The worker drops old database connections between events; the test's connection holds
    the test's transaction."""
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def freeswitch_settings(settings):
    settings.FREESWITCH_MEDIA_DIR = MEDIA
    settings.FREESWITCH_HOLD_MUSIC = "local_stream://moh"
    settings.FREESWITCH_AGENT_ENDPOINT = "user/{number}"
    settings.FREESWITCH_ESL_HOST = "127.0.0.1"
    settings.FREESWITCH_ESL_PASSWORD = "ClueCon"


@pytest.fixture
def replay(settings):
    servers = []

    def start(name: str, **options) -> FakeEslServer:
        server = FakeEslServer(load_transcript(name), **options)
        servers.append(server)
        settings.FREESWITCH_ESL_PORT = server.port
        return server

    yield start
    for server in servers:
        server.close()


def run(server: FakeEslServer) -> int:
    esl = worker.connect()
    esl.sock.settimeout(10)  # a transcript that waits for a command never sent fails
    try:
        return worker.run(esl)
    finally:
        esl.close()


def execute(channel: str, app: str, arg: str) -> str:
    return (
        f"sendmsg {channel}\ncall-command: execute\nexecute-app-name: {app}\nexecute-app-arg: {arg}"
    )


SUBSCRIBE = (
    "event plain CHANNEL_PARK CHANNEL_PROGRESS CHANNEL_ANSWER DTMF CHANNEL_EXECUTE_COMPLETE "
    "CHANNEL_BRIDGE CHANNEL_UNBRIDGE CHANNEL_HANGUP_COMPLETE RECORD_STOP BACKGROUND_JOB"
)


def test_a_whole_call_from_the_transcript(replay):
    make_queue("consult", skill="consult", digit="2", category="consultation")
    agent = make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    server = replay("inbound_call.txt")

    # Every event but two reaches CTI: the originate job's result (+OK) and the end of the
    # menu that a digit ended.
    assert run(server) == 10

    leg = CallLeg.objects.get()
    assert server.originated == [leg.engine_leg_id]
    path = f"callcenter/recordings/2026/03/02/{leg.engine_leg_id}.wav"
    assert server.commands == [
        "auth ClueCon",
        SUBSCRIBE,
        f"api uuid_answer {CALLER}",
        execute(CALLER, "unset", "rc_ivr_digit"),
        execute(CALLER, "play_and_get_digits", MENU),
        f"api uuid_broadcast {CALLER} local_stream://moh aleg",
        f"bgapi originate {{origination_uuid={leg.engine_leg_id},"
        "origination_caller_id_number=031966667777,ignore_early_media=true}user/1001 &park()",
        f"api uuid_bridge {CALLER} {leg.engine_leg_id}",
        f"api uuid_record {leg.engine_leg_id} start {MEDIA}/{path}",
        f"api uuid_kill {leg.engine_leg_id} NORMAL_CLEARING",
    ]
    call = Call.objects.get()
    assert (call.engine_call_id, call.caller_number, call.callee_number) == (
        CALLER,
        "031966667777",
        "4008001234",
    )
    assert (call.queued_at, call.answered_at, call.ended_at) == (at(8), at(12), at(112))
    assert (call.wait_seconds, call.talk_seconds, call.outcome, call.category) == (
        4,
        100,
        "answered",
        "consultation",
    )
    assert (leg.agent, leg.answered_at, leg.ended_at, leg.outcome) == (
        agent,
        at(12),
        at(112),
        "completed",
    )
    recording = Recording.objects.get()
    assert (recording.path, recording.seconds, recording.agent) == (path, 100, agent)
    assert [
        (e.from_state, e.to_state, e.created_at) for e in AgentEvent.objects.order_by("id")
    ] == [
        (A.IDLE, A.RINGING, at(8)),
        (A.RINGING, A.TALKING, at(12)),
        (A.TALKING, A.WRAP_UP, at(112)),
    ]


def test_timeouts_and_an_invalid_key_end_in_the_goodbye(replay):
    make_queue("consult", skill="consult", digit="2")
    server = replay("silent_caller.txt")

    run(server)

    menu = execute(CALLER, "play_and_get_digits", MENU)
    unset = execute(CALLER, "unset", "rc_ivr_digit")
    assert server.commands[2:] == [
        f"api uuid_answer {CALLER}",
        unset,
        menu,
        unset,  # timed out
        menu,
        execute(CALLER, "playback", f"{PROMPTS}/invalid.wav"),  # 7 is no choice
        unset,
        menu,
        execute(CALLER, "playback", f"{PROMPTS}/goodbye.wav"),  # timed out a third time
        execute(CALLER, "hangup", "NORMAL_CLEARING"),
    ]
    call = Call.objects.get()
    assert (call.queue, call.outcome, call.ended_at, call.hangup_cause) == (
        None,
        "abandoned",
        at(20),
        "NORMAL_CLEARING",
    )


def test_a_phone_that_is_not_registered_passes_the_call_to_the_next_agent(replay):
    make_queue("consult", skill="consult", digit="2")
    first = make_agent("1001", state=A.IDLE, skills={"consult": 5}, idle_since=T0)
    second = make_agent("1002", state=A.IDLE, skills={"consult": 1}, idle_since=T0)
    server = replay("phone_not_registered.txt")

    run(server)

    legs = list(CallLeg.objects.order_by("id"))
    assert server.originated == [leg.engine_leg_id for leg in legs]
    assert [(leg.agent, leg.outcome, leg.ended_at) for leg in legs] == [
        (first, "missed", at(5)),
        (second, "completed", at(30)),
    ]
    assert AgentEvent.objects.filter(agent=first).order_by("id").last().reason == (
        "USER_NOT_REGISTERED"
    )
    assert "originate" in server.commands[-4] and "user/1002" in server.commands[-4]


def test_a_refused_command_is_logged_and_the_step_goes_on(replay, caplog):
    make_queue("consult", skill="consult", digit="2")
    make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    server = replay("inbound_call.txt", api_answers={"uuid_bridge": "-ERR no such channel\n"})

    run(server)

    assert "FreeSWITCH refused uuid_bridge" in caplog.text
    # The recording still started after the bridge was refused.
    assert server.commands[8].startswith("api uuid_record ")


def test_a_wrong_password_is_refused(replay, settings):
    replay("inbound_call.txt", password="secret")

    with pytest.raises(EslError, match="invalid"):
        worker.connect()


def test_events_that_arrive_while_a_command_waits_keep_their_order(replay):
    server = replay("inbound_call.txt")
    esl = EslConnection.open("127.0.0.1", server.port, "ClueCon")
    try:
        esl.subscribe(["CHANNEL_PARK"])  # the park arrives after this reply
        assert esl.api(f"uuid_answer {CALLER}") == "+OK"  # then the answer
        names = [esl.next_event().name, esl.next_event().name]
    finally:
        esl.close()

    assert names == ["CHANNEL_PARK", "CHANNEL_ANSWER"]


def test_event_values_are_url_decoded_and_an_event_body_is_kept():
    event = parse_event(
        "Event-Name: BACKGROUND_JOB\nCaller-Caller-ID-Name: %E7%BB%92%E5%9F%8E\n"
        "Content-Length: 25\n\n-ERR USER_NOT_REGISTERED\nrest"
    )

    assert (event.name, event.get("Caller-Caller-ID-Name"), event.body) == (
        "BACKGROUND_JOB",
        "绒城",
        "-ERR USER_NOT_REGISTERED\n",
    )


def test_the_worker_command_runs_until_freeswitch_says_goodbye(replay):
    make_queue("consult", skill="consult", digit="2")
    make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    replay("inbound_call.txt")
    out, err = StringIO(), StringIO()

    call_command("callcenter_engine", "--once", stdout=out, stderr=err)

    assert (out.getvalue(), err.getvalue()) == ("Connection ended after 10 events.\n", "")
    assert Call.objects.get().outcome == "answered"


def test_the_worker_command_reports_a_refused_password(replay):
    replay("inbound_call.txt", password="secret")
    out, err = StringIO(), StringIO()

    call_command("callcenter_engine", "--once", stdout=out, stderr=err)

    assert (out.getvalue(), err.getvalue()) == ("", "FreeSWITCH event socket: auth: -ERR invalid\n")


def test_the_worker_command_needs_a_password(settings):
    settings.FREESWITCH_ESL_PASSWORD = ""

    with pytest.raises(CommandError, match="FREESWITCH_ESL_PASSWORD"):
        call_command("callcenter_engine", "--once")
