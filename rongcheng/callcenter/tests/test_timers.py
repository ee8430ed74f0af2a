"""The call center's clock (`timers.tick`) and transfers nobody answers: overflow, the end of
wrap-up kept by the server, phones ringing too long, and where a transferred caller goes."""

import pytest

from rongcheng.callcenter import cti, timers
from rongcheng.callcenter.engine import Answered, CallOffered, Dtmf, FakeEngine, HungUp
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallLeg
from rongcheng.callcenter.tests.factories import T0, at, make_agent, make_queue, make_waiting_call

pytestmark = pytest.mark.django_db

A = Agent.State


@pytest.fixture
def engine():
    return FakeEngine()


@pytest.fixture
def consult():
    return make_queue("consult", skill="consult", digit="2", category="consultation")


def last_event(agent):
    e = AgentEvent.objects.filter(agent=agent).order_by("-id").first()
    return (e.from_state, e.to_state, e.seconds_in_from_state, e.created_at, e.reason)


def test_the_tick_overflows_a_long_wait_and_rings_an_agent_of_the_overflow_queue(engine):
    general = make_queue("general", skill="service")
    consult = make_queue("consult", skill="consult", overflow_to=general, overflow_seconds=60)
    agent = make_agent("2001", state=A.IDLE, skills={"service": 2}, idle_since=T0)
    call = make_waiting_call(consult, at(0), engine_id="caller-1")

    assert timers.tick(engine=engine, now=at(59)).overflowed == []
    assert engine.commands == []
    ticked = timers.tick(engine=engine, now=at(60))
    again = timers.tick(engine=engine, now=at(60))

    assert (ticked.overflowed, again.overflowed) == ([call.pk], [])
    leg = CallLeg.objects.get()
    call.refresh_from_db()
    assert (call.queue, call.queue_entered_at, call.queued_at, call.agent) == (
        general, at(60), at(0), agent,
    )  # fmt: skip
    assert engine.commands == [("originate", leg.engine_leg_id, "agent/2001", "03195550000")]


def test_overflow_is_one_update_per_overflowing_queue(django_assert_num_queries):
    general = make_queue("general", skill="service")
    for n in range(3):
        queue = make_queue(f"q{n}", skill="consult", overflow_to=general, overflow_seconds=60)
        for k in range(n + 1):
            make_waiting_call(queue, at(k), number=f"0319555000{k}")
    # The queues, then per queue: savepoint, locked ids, update, release.
    with django_assert_num_queries(1 + 3 * 4):
        assert len(timers.acd.overflow(now=at(120))) == 6


def test_the_server_ends_a_wrap_up_when_its_time_is_over(engine, consult, settings):
    settings.CALLCENTER_WRAP_UP_SECONDS = 60
    done = make_agent("1001", state=A.WRAP_UP, skills={"consult": 3}, idle_since=at(-100))
    chose_busy = make_agent("1002", state=A.BUSY, skills={"consult": 3}, idle_since=at(-100))
    started_late = make_agent("1003", state=A.WRAP_UP, skills={"consult": 3}, idle_since=at(30))
    Agent.objects.filter(pk=done.pk).update(state_since=at(0))

    assert timers.tick(engine=engine, now=at(59)).wrap_ups_ended == []
    assert timers.tick(engine=engine, now=at(60)).wrap_ups_ended == [done.pk]
    assert timers.tick(engine=engine, now=at(61)).wrap_ups_ended == []

    states = dict(Agent.objects.values_list("number", "state"))
    assert states == {"1001": A.IDLE, "1002": A.BUSY, "1003": A.WRAP_UP}
    assert last_event(done) == (A.WRAP_UP, A.IDLE, 60, at(60), "话后整理时间到")
    assert not AgentEvent.objects.filter(agent__in=[chose_busy, started_late]).exists()


def test_a_wrap_up_ended_by_the_server_takes_the_waiting_call(engine, consult, settings):
    settings.CALLCENTER_WRAP_UP_SECONDS = 60
    agent = make_agent("1001", state=A.WRAP_UP, skills={"consult": 3}, idle_since=at(0))
    make_waiting_call(consult, at(10), engine_id="caller-1")

    timers.tick(engine=engine, now=at(60))

    leg = CallLeg.objects.get()
    assert (leg.agent, leg.offered_at) == (agent, at(60))
    assert engine.commands == [("originate", leg.engine_leg_id, "agent/1001", "03195550000")]


def test_a_phone_ringing_too_long_is_hung_up_and_the_call_rings_the_next(engine, consult, settings):
    settings.CALLCENTER_RING_SECONDS = 20
    first = make_agent("1001", state=A.IDLE, skills={"consult": 5}, idle_since=T0)
    second = make_agent("1002", state=A.IDLE, skills={"consult": 1}, idle_since=T0)
    cti.handle(CallOffered("caller-1", "031966667777", "4008001234", at(0)), engine=engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    leg = CallLeg.objects.get()
    engine.commands.clear()

    assert timers.tick(engine=engine, now=at(24)).rang_out == []
    assert timers.tick(engine=engine, now=at(25)).rang_out == [leg.engine_leg_id]
    assert engine.commands == [("hang_up", leg.engine_leg_id, "NO_ANSWER")]
    cti.handle(HungUp(leg.engine_leg_id, "NO_ANSWER", 0, at(25)), engine=engine)

    leg.refresh_from_db()
    assert leg.outcome == "missed"
    assert last_event(first) == (A.RINGING, A.IDLE, 20, at(25), "NO_ANSWER")
    assert CallLeg.objects.exclude(pk=leg.pk).get().agent == second


def transferred(engine):
    """Agent 1001 answers a consult call and transfers it to 1002 at 70 s."""
    first = make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=T0)
    second = make_agent("1002", state=A.IDLE, skills={"service": 3}, idle_since=T0)
    cti.handle(CallOffered("caller-1", "031966667777", "4008001234", at(0)), engine=engine)
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)
    first_leg = CallLeg.objects.get()
    cti.handle(Answered(first_leg.engine_leg_id, at(10)), engine=engine)
    second_leg = cti.transfer(Call.objects.get(), to=second, engine=engine, now=at(70))
    cti.handle(HungUp(first_leg.engine_leg_id, "NORMAL_CLEARING", 60, at(70)), engine=engine)
    engine.commands.clear()
    return first, second, second_leg


@pytest.mark.parametrize("cause", ["CALL_REJECTED", "NO_ANSWER"])
def test_a_transfer_not_answered_returns_to_the_idle_transferring_agent(engine, consult, cause):
    first, second, second_leg = transferred(engine)

    cti.handle(HungUp(second_leg.engine_leg_id, cause, 0, at(90)), engine=engine)

    back = CallLeg.objects.get(agent=first, ended_at=None)
    assert (back.offered_at, back.transferred_from) == (at(90), None)
    second_leg.refresh_from_db()
    assert second_leg.outcome == ("rejected" if cause == "CALL_REJECTED" else "missed")
    assert engine.commands == [("originate", back.engine_leg_id, "agent/1001", "031966667777")]
    assert last_event(first) == (A.IDLE, A.RINGING, 20, at(90), "转接未接通，回到转出坐席")
    assert last_event(second) == (A.RINGING, A.IDLE, 20, at(90), cause)
    call = Call.objects.get()
    assert (call.agent, call.returned_at, call.outcome) == (first, None, "answered")

    cti.handle(Answered(back.engine_leg_id, at(95)), engine=engine)
    assert engine.commands[-2:] == [
        ("bridge", "caller-1", back.engine_leg_id),
        ("start_recording", back.engine_leg_id, cti.recording_name(back, at(95))),
    ]
    call.refresh_from_db()
    # The wait is the first one; talk time runs from the first answer.
    assert (call.answered_at, call.wait_seconds, call.agent) == (at(10), 5, first)


def test_a_transfer_not_answered_goes_to_the_head_of_the_queue_when_the_agent_is_busy(
    engine, consult
):
    first, _second, second_leg = transferred(engine)
    # The transferring agent chose busy after handing the caller on.
    timers.state.transition(first, to=A.BUSY, now=at(80))
    earlier = make_waiting_call(consult, at(1), number="03195550001", engine_id="caller-0")
    third = make_agent("1003", state=A.BUSY, skills={"consult": 1}, idle_since=T0)

    cti.handle(HungUp(second_leg.engine_leg_id, "CALL_REJECTED", 0, at(90)), engine=engine)

    call = Call.objects.get(engine_call_id="caller-1")
    assert (call.agent, call.returned_at, call.outcome) == (None, at(90), "answered")
    assert engine.commands == []
    # Served before a call that was waiting longer, by the next free agent.
    assert list(timers.acd.waiting_calls(consult)) == [call, earlier]
    assert timers.acd.place_in_queue(earlier).position == 2
    cti.agent_ready(third, engine=engine, now=at(100))
    leg = CallLeg.objects.get(agent=third)
    assert leg.call == call
    cti.handle(Answered(leg.engine_leg_id, at(104)), engine=engine)
    call.refresh_from_db()
    assert (call.agent, call.returned_at, call.outcome) == (third, None, "answered")


def test_a_caller_hanging_up_while_the_transfer_rings_ends_the_call(engine, consult):
    _first, second, second_leg = transferred(engine)
    cti.handle(HungUp("caller-1", "NORMAL_CLEARING", 80, at(90)), engine=engine)

    call = Call.objects.get()
    assert (call.ended_at, call.talk_seconds, call.returned_at) == (at(90), 80, None)
    assert engine.commands == [("hang_up", second_leg.engine_leg_id, "NORMAL_CLEARING")]
    second.refresh_from_db()
    assert second.state == A.IDLE
