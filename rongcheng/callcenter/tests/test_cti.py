import pytest

from rongcheng.callcenter import cti
from rongcheng.callcenter.engine import (
    Answered,
    CallOffered,
    Dtmf,
    FakeEngine,
    HungUp,
    RecordingReady,
)
from rongcheng.callcenter.errors import AgentStateInvalid, CallNotTransferable
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallLeg, Recording
from rongcheng.callcenter.tests.factories import T0, at, make_agent, make_queue

pytestmark = pytest.mark.django_db

A = Agent.State


@pytest.fixture
def engine():
    return FakeEngine()


@pytest.fixture
def hotline():
    return make_queue("consult", skill="consult", digit="2", category="consultation")


def offer(engine, *, seconds=0, channel="caller-1", number="031966667777"):
    cti.handle(CallOffered(channel, number, "4008001234", at(seconds)), engine=engine)


def events(agent):
    return [
        (e.from_state, e.to_state, e.seconds_in_from_state, e.created_at)
        for e in AgentEvent.objects.filter(agent=agent).order_by("created_at", "id")
    ]


def test_a_whole_call_from_the_ivr_to_wrap_up(engine, hotline):
    agent = make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)

    offer(engine, seconds=0)
    cti.handle(Dtmf("caller-1", "2", at(8)), engine=engine)
    leg = CallLeg.objects.get()
    cti.handle(Answered(leg.engine_leg_id, at(12)), engine=engine)
    cti.handle(HungUp("caller-1", "NORMAL_CLEARING", 112, at(112)), engine=engine)
    cti.handle(HungUp(leg.engine_leg_id, "NORMAL_CLEARING", 100, at(112)), engine=engine)
    path = f"callcenter/recordings/2026/03/02/{leg.engine_leg_id}.wav"
    cti.handle(RecordingReady(leg.engine_leg_id, path, 100, at(113)), engine=engine)
    cti.handle(RecordingReady(leg.engine_leg_id, path, 100, at(113)), engine=engine)

    call = Call.objects.get()
    assert (call.caller_number, call.queue, call.category, call.agent) == (
        "031966667777",
        hotline,
        "consultation",
        agent,
    )
    assert (call.offered_at, call.queued_at, call.answered_at, call.ended_at) == (
        at(0),
        at(8),
        at(12),
        at(112),
    )
    assert (call.wait_seconds, call.talk_seconds, call.outcome) == (4, 100, "answered")
    leg.refresh_from_db()
    assert (leg.outcome, leg.answered_at, leg.ended_at, leg.talk_seconds) == (
        "completed",
        at(12),
        at(112),
        100,
    )
    assert events(agent) == [
        (A.IDLE, A.RINGING, 8, at(8)),
        (A.RINGING, A.TALKING, 4, at(12)),
        (A.TALKING, A.WRAP_UP, 100, at(112)),
    ]
    recording = Recording.objects.get()
    assert (recording.path, recording.agent, recording.call, recording.seconds) == (
        path,
        agent,
        call,
        100,
    )
    assert engine.commands == [
        ("answer", "caller-1"),
        ("collect_digits", "caller-1", "callcenter/ivr/welcome.wav", 1, 5),
        ("park", "caller-1"),
        ("originate", leg.engine_leg_id, "agent/1001", "031966667777"),
        ("bridge", "caller-1", leg.engine_leg_id),
        ("start_recording", leg.engine_leg_id, path),
        ("hang_up", leg.engine_leg_id, "NORMAL_CLEARING"),
    ]


def test_a_call_waits_until_an_agent_ends_wrap_up_then_rings_at_once(engine, hotline):
    agent = make_agent("1001", state=A.WRAP_UP, skills={"consult": 3}, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    assert not CallLeg.objects.exists()

    cti.agent_ready(agent, engine=engine, now=at(30))

    leg = CallLeg.objects.get()
    assert (leg.agent, leg.offered_at) == (agent, at(30))
    agent.refresh_from_db()
    assert agent.state == A.RINGING


def test_temporary_leave_receives_nothing(engine, hotline):
    make_agent("1001", state=A.LEAVE, skills={"consult": 5}, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)

    assert not CallLeg.objects.exists()
    assert Call.objects.get().outcome == "waiting"


def test_a_rejected_call_rings_the_next_agent_and_the_first_is_idle(engine, hotline):
    first = make_agent("1001", state=A.IDLE, skills={"consult": 5}, idle_since=T0)
    second = make_agent("1002", state=A.IDLE, skills={"consult": 1}, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    first_leg = CallLeg.objects.get()

    cti.handle(HungUp(first_leg.engine_leg_id, "CALL_REJECTED", 0, at(9)), engine=engine)

    first_leg.refresh_from_db()
    assert (first_leg.outcome, first_leg.ended_at) == ("rejected", at(9))
    second_leg = CallLeg.objects.exclude(pk=first_leg.pk).get()
    assert Call.objects.get().agent == second_leg.agent == second
    # Idle again, with the highest level, but not rung again for the call just rejected.
    assert events(first)[-1] == (A.RINGING, A.IDLE, 4, at(9))


def test_the_caller_hanging_up_in_the_queue_abandons_the_call(engine, hotline):
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    cti.handle(HungUp("caller-1", "ORIGINATOR_CANCEL", 0, at(65)), engine=engine)

    call = Call.objects.get()
    assert (call.outcome, call.wait_seconds, call.talk_seconds, call.ended_at) == (
        "abandoned",
        60,
        0,
        at(65),
    )


def test_a_transfer_leaves_the_first_agent_idle(engine, hotline):
    first = make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    second = make_agent("1002", state=A.IDLE, skills={"service": 3}, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    first_leg = CallLeg.objects.get()
    cti.handle(Answered(first_leg.engine_leg_id, at(10)), engine=engine)

    second_leg = cti.transfer(Call.objects.get(), to=second, engine=engine, now=at(70))
    cti.handle(HungUp(first_leg.engine_leg_id, "NORMAL_CLEARING", 60, at(70)), engine=engine)
    cti.handle(Answered(second_leg.engine_leg_id, at(75)), engine=engine)
    cti.handle(HungUp("caller-1", "NORMAL_CLEARING", 170, at(175)), engine=engine)

    first.refresh_from_db()
    assert first.state == A.IDLE
    assert events(first)[-1] == (A.TALKING, A.IDLE, 60, at(70))
    assert events(second) == [
        (A.IDLE, A.RINGING, 70, at(70)),
        (A.RINGING, A.TALKING, 5, at(75)),
        (A.TALKING, A.WRAP_UP, 100, at(175)),
    ]
    legs = CallLeg.objects.order_by("offered_at", "id")
    assert [(leg.agent.number, leg.outcome, leg.talk_seconds) for leg in legs] == [
        ("1001", "transferred", 60),
        ("1002", "completed", 100),
    ]
    call = Call.objects.get()
    assert (call.agent, call.wait_seconds, call.talk_seconds) == (second, 5, 165)
    assert engine.commands[-6:] == [
        ("park", "caller-1"),
        ("hang_up", first_leg.engine_leg_id, "NORMAL_CLEARING"),
        ("originate", second_leg.engine_leg_id, "agent/1002", "031966667777"),
        ("bridge", "caller-1", second_leg.engine_leg_id),
        ("start_recording", second_leg.engine_leg_id, cti.recording_name(second_leg, at(75))),
        ("hang_up", second_leg.engine_leg_id, "NORMAL_CLEARING"),
    ]


def test_a_transfer_to_a_busy_agent_is_refused_and_changes_nothing(engine, hotline):
    make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    busy = make_agent("1002", state=A.BUSY, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    leg = CallLeg.objects.get()
    cti.handle(Answered(leg.engine_leg_id, at(10)), engine=engine)
    before = (
        list(Agent.objects.order_by("id").values()),
        list(CallLeg.objects.values()),
        AgentEvent.objects.count(),
        len(engine.commands),
    )

    with pytest.raises(AgentStateInvalid):
        cti.transfer(Call.objects.get(), to=busy, engine=engine, now=at(30))

    after = (
        list(Agent.objects.order_by("id").values()),
        list(CallLeg.objects.values()),
        AgentEvent.objects.count(),
        len(engine.commands),
    )
    assert after == before


def test_a_call_not_in_conversation_cannot_be_transferred(engine, hotline):
    make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    other = make_agent("1002", state=A.IDLE, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)

    with pytest.raises(CallNotTransferable):
        cti.transfer(Call.objects.get(), to=other, engine=engine, now=at(7))
    assert CallLeg.objects.count() == 1


def test_a_repeated_offer_is_one_call(engine, hotline):
    offer(engine)
    offer(engine)

    assert Call.objects.count() == 1
    assert len(engine.commands) == 2


def test_an_answer_after_the_caller_hung_up_changes_nothing(engine, hotline):
    agent = make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    offer(engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    leg = CallLeg.objects.get()
    cti.handle(HungUp("caller-1", "ORIGINATOR_CANCEL", 0, at(9)), engine=engine)
    commands = len(engine.commands)

    cti.handle(Answered(leg.engine_leg_id, at(10)), engine=engine)

    leg.refresh_from_db()
    assert (leg.outcome, leg.answered_at, leg.ended_at) == ("missed", None, at(9))
    assert Call.objects.get().outcome == "abandoned"
    assert events(agent)[-1] == (A.RINGING, A.IDLE, 4, at(9))
    assert len(engine.commands) == commands
