"""Call-back requests: pressed for in the queue, offered by the tick to a free agent as a call
out once no caller waits, done when the customer picks up, tried again, then failed."""

import re

import pytest

from rongcheng.accounts import roles
from rongcheng.callcenter import announcements, callbacks, cti, timers
from rongcheng.callcenter.engine import Answered, CallOffered, Dtmf, FakeEngine, HungUp
from rongcheng.callcenter.models import Agent, Call, CallbackRequest, CallLeg
from rongcheng.callcenter.tests.factories import (
    T0,
    at,
    make_agent,
    make_prompt,
    make_queue,
    make_waiting_call,
)
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

A = Agent.State
S = CallbackRequest.Status


@pytest.fixture
def engine():
    return FakeEngine()


@pytest.fixture
def consult():
    for code in announcements.PROMPTS:
        make_prompt(code)
    return make_queue(
        "consult", skill="consult", digit="2", category="consultation", callback_after_seconds=300
    )


@pytest.fixture
def agent(consult):
    return make_agent("1001", state=A.BUSY, skills={"consult": 3}, idle_since=T0)


def queued(engine, *, channel="caller-1", number="047766667777", seconds=0):
    cti.handle(CallOffered(channel, number, "4008001234", at(seconds)), engine=engine)
    cti.handle(Dtmf(channel, "2", at(seconds + 5)), engine=engine)
    engine.commands.clear()


def history(callback):
    return list(
        callback.events.order_by("id").values_list("from_status", "to_status", "created_at")
    )


def requested(engine, consult):
    """Two callers ahead make the wait 9 minutes: the call back is offered; the caller takes it."""
    make_waiting_call(consult, at(-60), number="03195550001", engine_id="ahead-1")
    make_waiting_call(consult, at(-50), number="03195550002", engine_id="ahead-2")
    queued(engine)
    cti.handle(Dtmf("caller-1", "1", at(20)), engine=engine)
    cti.handle(HungUp("caller-1", "NORMAL_CLEARING", 20, at(24)), engine=engine)
    return CallbackRequest.objects.get()


def test_pressing_1_after_the_offer_records_the_request_and_ends_the_call(engine, consult, agent):
    callback = requested(engine, consult)

    assert (callback.number, callback.queue, callback.requested_at, callback.status) == (
        "047766667777", consult, at(20), S.WAITING,
    )  # fmt: skip
    assert engine.commands == [
        ("play_and_hang_up", "caller-1", "callcenter/ivr/queue-callback-taken.wav")
    ]
    call = Call.objects.get(engine_call_id="caller-1")
    assert (call.outcome, call.ended_at, call.wait_seconds) == ("callback", at(24), 19)
    # Pressed again (a repeated event): still one request.
    cti.handle(Dtmf("caller-1", "1", at(21)), engine=engine)
    assert CallbackRequest.objects.count() == 1


def test_a_key_without_the_offer_or_another_key_changes_nothing(engine, consult, agent):
    queued(engine)  # nobody ahead: the wait is short, no offer
    cti.handle(Dtmf("caller-1", "1", at(20)), engine=engine)
    make_waiting_call(consult, at(-60), number="03195550001", engine_id="ahead-1")
    Call.objects.filter(engine_call_id="caller-1").update(callback_offered_at=at(6))
    cti.handle(Dtmf("caller-1", "5", at(21)), engine=engine)

    assert not CallbackRequest.objects.exists()
    assert engine.commands == []
    assert Call.objects.get(engine_call_id="caller-1").outcome == "waiting"


def test_the_tick_calls_back_once_no_caller_waits_and_the_answer_makes_it_done(
    engine, consult, agent
):
    callback = requested(engine, consult)
    cti.agent_ready(agent, engine=engine, now=at(30))  # takes ahead-1
    engine.commands.clear()

    # ahead-2 still waits: callers on the line come first.
    assert timers.tick(engine=engine, now=at(31)).called_back == []
    engine.commands.clear()  # ahead-2 heard its place
    Call.objects.filter(engine_call_id="ahead-2").update(outcome="abandoned", ended_at=at(32))
    CallLeg.objects.filter(agent=agent).update(ended_at=at(33))
    Agent.objects.filter(pk=agent.pk).update(state=A.IDLE)
    assert timers.tick(engine=engine, now=at(40)).called_back == [callback.pk]
    assert timers.tick(engine=engine, now=at(41)).called_back == []

    callback.refresh_from_db()
    out = callback.last_call
    leg = CallLeg.objects.get(call=out)
    assert (callback.status, callback.agent, callback.attempts) == (S.CALLING, agent, 1)
    assert (out.direction, out.callee_number, leg.agent) == ("outbound", "047766667777", agent)
    assert engine.commands == [
        ("originate", leg.engine_leg_id, "agent/1001", "047766667777"),
        ("originate", out.engine_call_id, "047766667777", "4008001234"),
    ]
    agent.refresh_from_db()
    assert agent.state == A.RINGING

    cti.handle(Answered(leg.engine_leg_id, at(45)), engine=engine)
    cti.handle(Answered(out.engine_call_id, at(50)), engine=engine)
    cti.handle(HungUp(out.engine_call_id, "NORMAL_CLEARING", 60, at(110)), engine=engine)

    callback.refresh_from_db()
    assert callback.status == S.DONE
    assert history(callback) == [(S.WAITING, S.CALLING, at(40)), (S.CALLING, S.DONE, at(50))]


def test_an_unanswered_call_back_is_tried_again_then_failed(engine, consult, agent, settings):
    settings.CALLCENTER_CALLBACK_ATTEMPTS = 2
    callback = requested(engine, consult)
    Call.objects.filter(engine_call_id__startswith="ahead-").update(
        outcome="abandoned", ended_at=at(25)
    )

    for attempt, seconds in ((1, 100), (2, 200)):
        Agent.objects.filter(pk=agent.pk).update(state=A.IDLE)
        assert timers.tick(engine=engine, now=at(seconds)).called_back == [callback.pk]
        callback.refresh_from_db()
        assert callback.attempts == attempt
        out = callback.last_call.engine_call_id
        cti.handle(HungUp(out, "NO_ANSWER", 0, at(seconds + 30)), engine=engine)

    callback.refresh_from_db()
    assert callback.status == S.FAILED
    assert history(callback) == [
        (S.WAITING, S.CALLING, at(100)),
        (S.CALLING, S.WAITING, at(130)),
        (S.WAITING, S.CALLING, at(200)),
        (S.CALLING, S.FAILED, at(230)),
    ]
    # The agent's ringing phone was taken back with the call.
    agent.refresh_from_db()
    assert agent.state == A.IDLE
    Agent.objects.filter(pk=agent.pk).update(state=A.IDLE)
    assert timers.tick(engine=engine, now=at(300)).called_back == []


def test_a_finished_request_refuses_another_step(engine, consult, agent):
    callback = requested(engine, consult)
    with pytest.raises(callbacks.CallbackStateInvalid):
        callbacks._move(callback, to=S.DONE, call=None, now=at(30))
    assert history(callback) == []


def make_request(queue, n: int, *, status=S.WAITING, agent=None) -> CallbackRequest:
    call = make_waiting_call(queue, at(n), number=f"0477555{n:05d}")
    return CallbackRequest.objects.create(
        number=call.caller_number, queue=queue, call=call, requested_at=at(n),
        status=status, agent=agent,
    )  # fmt: skip


DESK = "/callcenter/callbacks/"


def listed(client) -> list[str]:
    return re.findall(r'data-callback="(\d+)"', client.get(DESK).content.decode())


def test_the_desk_lists_call_backs_to_supervisors_all_and_to_agents_theirs(client, consult):
    complaints = make_queue("complaints", skill="complaints")
    mine = make_agent("1001", skills={"consult": 3})
    other = make_agent("1002", skills={"complaints": 3})
    waiting_here = make_request(consult, 1)
    given_to_me = make_request(complaints, 2, status=S.DONE, agent=mine)
    given_to_other = make_request(consult, 3, status=S.CALLING, agent=other)
    waiting_elsewhere = make_request(complaints, 4)

    client.force_login(roles.user_grant_role(user=UserFactory(), role=roles.CS_SUPERVISOR))
    assert listed(client) == [
        str(r.pk) for r in (waiting_elsewhere, given_to_other, given_to_me, waiting_here)
    ]
    client.force_login(mine.user)
    assert listed(client) == [str(given_to_me.pk), str(waiting_here.pk)]
    client.force_login(UserFactory())
    assert client.get(DESK).status_code == 403


def test_the_desk_reads_the_same_statements_for_few_and_many(
    client, consult, django_assert_num_queries
):
    supervisor = roles.user_grant_role(user=UserFactory(), role=roles.CS_SUPERVISOR)
    client.force_login(supervisor)
    agent = make_agent("1001", skills={"consult": 3})
    make_request(consult, 1, status=S.DONE, agent=agent)
    client.get(DESK)
    with django_assert_num_queries(12) as few:
        client.get(DESK)
    for n in range(2, 12):
        make_request(consult, n, status=S.DONE, agent=make_agent(f"2{n:03d}"))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(listed(client)) == 11
