"""Agents, skills and queues for the call-center tests."""

from datetime import datetime

from rongcheng.callcenter.models import Agent, AgentGroup, AgentSkill, Call, Queue, Skill
from rongcheng.core.testing.factories import UserFactory


def make_group(code: str = "hotline") -> AgentGroup:
    return AgentGroup.objects.get_or_create(code=code, defaults={"name": code})[0]


def make_skill(code: str) -> Skill:
    return Skill.objects.get_or_create(code=code, defaults={"name": code})[0]


def make_agent(
    number: str,
    *,
    skills: dict[str, int] | None = None,
    state: str = Agent.State.SIGNED_OUT,
    idle_since: datetime | None = None,
    group: str = "hotline",
) -> Agent:
    """An agent put straight into `state` (set-up only: the service is what the tests test)."""
    agent = Agent.objects.create(
        user=UserFactory(),
        number=number,
        group=make_group(group),
        state=state,
        state_since=idle_since,
        idle_since=idle_since,
    )
    for code, level in (skills or {}).items():
        AgentSkill.objects.create(agent=agent, skill=make_skill(code), level=level)
    return agent


def make_queue(code: str, *, skill: str, digit: str | None = None, **fields) -> Queue:
    return Queue.objects.create(
        code=code, name=code, skill=make_skill(skill), ivr_digit=digit, **fields
    )


def make_waiting_call(
    queue: Queue,
    queued_at: datetime,
    *,
    number: str = "03195550000",
    vip: bool = False,
    far: bool = False,
    engine_id: str | None = None,
) -> Call:
    return Call.objects.create(
        engine_call_id=engine_id or f"{number}-{queued_at:%H%M%S}-{queue.code}",
        direction=Call.Direction.INBOUND,
        caller_number=number,
        callee_number="4008001234",
        is_vip=vip,
        is_long_distance=far,
        queue=queue,
        offered_at=queued_at,
        queued_at=queued_at,
        queue_entered_at=queued_at,
    )
