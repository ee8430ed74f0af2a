import itertools
from datetime import timedelta

import pytest

from rongcheng.callcenter.errors import AgentStateInvalid
from rongcheng.callcenter.models import Agent, AgentEvent
from rongcheng.callcenter.state import TRANSITIONS, transition
from rongcheng.callcenter.tests.factories import T0, make_agent

pytestmark = pytest.mark.django_db

A = Agent.State
ALLOWED = {
    (A.SIGNED_OUT, A.IDLE),
    (A.IDLE, A.RINGING),
    (A.IDLE, A.BUSY),
    (A.IDLE, A.LEAVE),
    (A.IDLE, A.SIGNED_OUT),
    (A.RINGING, A.TALKING),
    (A.RINGING, A.IDLE),
    (A.TALKING, A.WRAP_UP),
    (A.TALKING, A.IDLE),
    (A.WRAP_UP, A.IDLE),
    (A.WRAP_UP, A.BUSY),
    (A.WRAP_UP, A.LEAVE),
    (A.WRAP_UP, A.SIGNED_OUT),
    (A.BUSY, A.IDLE),
    (A.BUSY, A.LEAVE),
    (A.BUSY, A.SIGNED_OUT),
    (A.LEAVE, A.IDLE),
    (A.LEAVE, A.BUSY),
    (A.LEAVE, A.SIGNED_OUT),
}


def test_the_table_is_exactly_the_agent_states():
    table = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(A.values)


@pytest.mark.parametrize("step", sorted(ALLOWED))
def test_an_allowed_step_saves_the_state_and_the_work_record(step):
    source, target = step
    agent = make_agent("1001", state=source, idle_since=T0)
    now = T0 + timedelta(seconds=95)

    transition(agent, to=target, reason="测试", now=now)

    assert (agent.state, agent.state_since) == (target, now)
    assert agent.idle_since == (now if target == A.IDLE else T0)
    event = AgentEvent.objects.get()
    assert (event.from_state, event.to_state, event.seconds_in_from_state) == (source, target, 95)
    assert (event.reason, event.created_at, event.call) == ("测试", now, None)


REFUSED = sorted(set(itertools.product(A.values, A.values)) - ALLOWED)


@pytest.mark.parametrize("step", REFUSED)
def test_every_other_step_is_refused_and_writes_nothing(step):
    source, target = step
    agent = make_agent("1001", state=source, idle_since=T0)
    before = Agent.objects.values().get()

    with pytest.raises(AgentStateInvalid) as refused:
        transition(agent, to=target, now=T0 + timedelta(seconds=5))

    assert refused.value.code == "agent_state_invalid"
    assert Agent.objects.values().get() == before
    assert not AgentEvent.objects.exists()


def test_a_shift_leaves_the_durations_of_each_state():
    agent = make_agent("1001")
    for seconds, state in [(0, A.IDLE), (30, A.BUSY), (90, A.IDLE), (100, A.SIGNED_OUT)]:
        transition(agent, to=state, now=T0 + timedelta(seconds=seconds))

    events = AgentEvent.objects.order_by("created_at")
    assert [(e.from_state, e.to_state, e.seconds_in_from_state) for e in events] == [
        (A.SIGNED_OUT, A.IDLE, 0),
        (A.IDLE, A.BUSY, 30),
        (A.BUSY, A.IDLE, 60),
        (A.IDLE, A.SIGNED_OUT, 10),
    ]


def test_the_work_record_is_append_only():
    agent = make_agent("1001")
    transition(agent, to=A.IDLE, now=T0)

    with pytest.raises(TypeError):
        AgentEvent.objects.update(reason="改写")
    with pytest.raises(TypeError):
        AgentEvent.objects.get().delete()
    assert AgentEvent.objects.get().reason == ""
