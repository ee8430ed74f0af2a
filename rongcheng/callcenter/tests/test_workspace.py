"""The agent workspace's actions and the supervisors' commands, through the in-process engine:
each sends exactly its commands, changes states only through state.py and cti, and a refused
action sends nothing and writes nothing."""

import pytest
import time_machine

from rongcheng.callcenter import cti, supervision, workspace
from rongcheng.callcenter.engine import Answered, CallOffered, Dtmf, EavesdropMode, HungUp
from rongcheng.callcenter.errors import (
    AgentStateInvalid,
    NoCallInProgress,
    NotAnAgent,
    NotASupervisor,
    NumberInvalid,
)
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallLeg
from rongcheng.callcenter.tests.factories import (
    at,
    fresh_engine,
    grant_supervision,
    make_agent,
    make_queue,
)
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

A = Agent.State


@pytest.fixture
def engine():
    return fresh_engine()


@pytest.fixture
def agent():
    make_queue("consult", skill="consult", digit="2", category="consultation")
    return make_agent("1001", skills={"consult": 3})


def ring(engine, agent, channel="caller-1", number="13900000000"):
    """A caller chooses 2 and the ACD rings `agent` (who must be idle)."""
    cti.handle(CallOffered(channel, number, "4008001234", at(0)), engine=engine)
    cti.handle(Dtmf(channel, "2", at(5)), engine=engine)
    engine.commands.clear()
    return CallLeg.objects.get(call__engine_call_id=channel, agent=agent, ended_at=None)


def states(agent):
    return list(
        AgentEvent.objects.filter(agent=agent).order_by("id").values_list("from_state", "to_state")
    )


def test_an_agent_signs_in_takes_a_break_and_signs_out(engine, agent):
    workspace.ready(agent, now=at(0))
    workspace.choose_state(agent, to=A.BUSY, now=at(10))
    workspace.choose_state(agent, to=A.LEAVE, now=at(20))
    workspace.ready(agent, now=at(30))
    workspace.choose_state(agent, to=A.SIGNED_OUT, now=at(40))

    assert states(agent) == [
        (A.SIGNED_OUT, A.IDLE),
        (A.IDLE, A.BUSY),
        (A.BUSY, A.LEAVE),
        (A.LEAVE, A.IDLE),
        (A.IDLE, A.SIGNED_OUT),
    ]
    assert engine.commands == []


@pytest.mark.parametrize("to", [A.IDLE, A.RINGING, A.TALKING, A.WRAP_UP])
def test_an_agent_cannot_choose_a_state_that_calls_decide(engine, agent, to):
    workspace.ready(agent, now=at(0))
    with pytest.raises(AgentStateInvalid):
        workspace.choose_state(agent, to=to, now=at(1))
    agent.refresh_from_db()
    assert (agent.state, states(agent)) == (A.IDLE, [(A.SIGNED_OUT, A.IDLE)])


def test_an_agent_answers_holds_resumes_and_hangs_up_through_the_engine(engine, agent):
    workspace.ready(agent, now=at(0))
    leg = ring(engine, agent)

    workspace.answer(agent)
    assert engine.commands == [("answer", leg.engine_leg_id)]
    cti.handle(Answered(leg.engine_leg_id, at(8)), engine=engine)
    engine.commands.clear()
    workspace.hold(agent)
    workspace.resume(agent)
    workspace.hang_up(agent)
    assert engine.commands == [
        ("hold", "caller-1"),
        ("bridge", "caller-1", leg.engine_leg_id),
        ("hang_up", leg.engine_leg_id, "NORMAL_CLEARING"),
    ]
    cti.handle(HungUp(leg.engine_leg_id, "NORMAL_CLEARING", 52, at(60)), engine=engine)
    agent.refresh_from_db()
    assert agent.state == A.WRAP_UP
    workspace.ready(agent, now=at(90))
    assert states(agent)[1:] == [
        (A.IDLE, A.RINGING),
        (A.RINGING, A.TALKING),
        (A.TALKING, A.WRAP_UP),
        (A.WRAP_UP, A.IDLE),
    ]
    assert Call.objects.get().talk_seconds == 52


def test_hold_is_kept_on_the_call_until_resumed(engine, agent):
    workspace.ready(agent, now=at(0))
    leg = ring(engine, agent)
    cti.handle(Answered(leg.engine_leg_id, at(8)), engine=engine)

    with time_machine.travel(at(20), tick=False):
        workspace.hold(agent)
    with time_machine.travel(at(25), tick=False):
        workspace.hold(agent)  # pressed again: held since the first press
    assert Call.objects.get().held_at == at(20)
    workspace.resume(agent)
    assert Call.objects.get().held_at is None


def test_a_rejected_call_goes_back_to_the_queue(engine, agent):
    workspace.ready(agent, now=at(0))
    leg = ring(engine, agent)
    workspace.reject(agent)
    assert engine.commands == [("hang_up", leg.engine_leg_id, "CALL_REJECTED")]
    cti.handle(HungUp(leg.engine_leg_id, "CALL_REJECTED", 0, at(9)), engine=engine)
    leg.refresh_from_db()
    agent.refresh_from_db()
    assert (leg.outcome, agent.state, Call.objects.get().outcome) == ("rejected", A.IDLE, "waiting")


def test_call_actions_without_the_call_send_nothing(engine, agent):
    workspace.ready(agent, now=at(0))
    for action in (workspace.answer, workspace.reject, workspace.hang_up, workspace.hold):
        with pytest.raises(NoCallInProgress):
            action(agent)
    leg = ring(engine, agent)
    # Ringing is not talking: no hold or hang-up of a call not answered yet.
    for action in (workspace.hang_up, workspace.hold, workspace.resume):
        with pytest.raises(NoCallInProgress):
            action(agent)
    assert engine.commands == []
    assert CallLeg.objects.get() == leg


def test_a_transfer_rings_the_named_agent_and_frees_the_first(engine, agent):
    second = make_agent("1002", skills={"consult": 1}, state=A.IDLE, idle_since=at(0))
    workspace.ready(agent, now=at(-60))
    leg = ring(engine, agent)
    cti.handle(Answered(leg.engine_leg_id, at(8)), engine=engine)

    new_leg = workspace.transfer(agent, to_number="1002", now=at(30))

    agent.refresh_from_db()
    second.refresh_from_db()
    assert (agent.state, second.state, new_leg.agent) == (A.IDLE, A.RINGING, second)


def test_an_agent_cannot_transfer_a_call_of_another_agent(engine, agent):
    other = make_agent("1003", state=A.IDLE, idle_since=at(0))
    make_agent("1002", state=A.IDLE, idle_since=at(0))
    workspace.ready(agent, now=at(-60))
    leg = ring(engine, agent)
    cti.handle(Answered(leg.engine_leg_id, at(8)), engine=engine)
    engine.commands.clear()

    with pytest.raises(NoCallInProgress):
        workspace.transfer(other, to_number="1002", now=at(30))
    with pytest.raises(AgentStateInvalid):
        workspace.transfer(agent, to_number="9999", now=at(30))
    assert engine.commands == []
    assert CallLeg.objects.filter(ended_at=None).get() == leg


def test_click_to_call_rings_the_agent_and_the_customer(engine, agent, member):
    member.is_vip = True
    member.save()
    workspace.ready(agent, now=at(0))

    call = workspace.call_out(agent, number=" 139-0000-0000 ", now=at(10))

    leg = CallLeg.objects.get()
    agent.refresh_from_db()
    assert (call.direction, call.caller_number, call.callee_number, call.caller, call.is_vip) == (
        "outbound",
        "4008001234",
        "13900000000",
        member,
        True,
    )
    assert (agent.state, leg.agent, call.agent) == (A.RINGING, agent, agent)
    assert engine.commands == [
        ("originate", leg.engine_leg_id, "agent/1001", "13900000000"),
        ("originate", call.engine_call_id, "13900000000", "4008001234"),
    ]
    cti.handle(Answered(leg.engine_leg_id, at(14)), engine=engine)
    call.refresh_from_db()
    agent.refresh_from_db()
    assert (agent.state, call.outcome, call.wait_seconds) == (A.TALKING, "answered", 4)


def test_click_to_call_is_refused_for_a_bad_number_or_a_busy_agent(engine, agent):
    workspace.ready(agent, now=at(0))
    with pytest.raises(NumberInvalid):
        workspace.call_out(agent, number="12", now=at(1))
    workspace.choose_state(agent, to=A.BUSY, now=at(2))
    with pytest.raises(AgentStateInvalid):
        workspace.call_out(agent, number="13900000000", now=at(3))
    assert (Call.objects.count(), CallLeg.objects.count(), engine.commands) == (0, 0, [])


def test_only_users_with_an_agent_record_are_agents(agent):
    assert workspace.agent_of(agent.user) == agent
    with pytest.raises(NotAnAgent):
        workspace.agent_of(UserFactory())


@pytest.fixture
def in_conversation(engine, agent):
    workspace.ready(agent, now=at(0))
    leg = ring(engine, agent)
    cti.handle(Answered(leg.engine_leg_id, at(8)), engine=engine)
    engine.commands.clear()
    return leg


@pytest.mark.parametrize("mode", list(EavesdropMode))
def test_a_supervisor_listens_whispers_or_barges_from_their_own_phone(
    engine, in_conversation, mode
):
    supervisor = make_agent("9001").user
    supervisor = grant_supervision(supervisor)

    channel = supervision.eavesdrop(supervisor, agent_number="1001", mode=mode)

    assert engine.commands == [
        ("originate", channel, "agent/9001", "13900000000"),
        ("eavesdrop", channel, in_conversation.engine_leg_id, str(mode)),
    ]


def test_a_supervisor_forces_a_hang_up(engine, in_conversation):
    supervisor = grant_supervision(UserFactory())
    supervision.force_hang_up(supervisor, agent_number="1001")
    assert engine.commands == [("hang_up", "caller-1", "MANAGER_REQUEST")]


def test_agents_cannot_supervise_and_nothing_is_sent(engine, in_conversation):
    other_agent = make_agent("1002").user
    with pytest.raises(NotASupervisor):
        supervision.eavesdrop(other_agent, agent_number="1001", mode=EavesdropMode.LISTEN)
    with pytest.raises(NotASupervisor):
        supervision.force_hang_up(other_agent, agent_number="1001")
    assert engine.commands == []


def test_supervising_needs_a_call_and_the_supervisors_phone(engine, in_conversation):
    supervisor = grant_supervision(UserFactory())
    with pytest.raises(NotAnAgent):
        supervision.eavesdrop(supervisor, agent_number="1001", mode=EavesdropMode.LISTEN)
    with pytest.raises(NoCallInProgress):
        supervision.force_hang_up(supervisor, agent_number="1002")
    assert engine.commands == []
