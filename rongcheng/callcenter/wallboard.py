"""The supervisors' wallboard (CALL-5): lines in use, agents by state, queues with their waiting
callers and longest wait. Four queries whatever the size of the floor."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils.functional import Promise

from rongcheng.callcenter.models import Agent, Call, CallLeg, Queue

A = Agent.State


@dataclass(frozen=True)
class FloorAgent:
    agent: Agent
    # The agent's leg in conversation: what a supervisor listens to or hangs up.
    talking: bool
    seconds_in_state: int


@dataclass(frozen=True)
class QueueLine:
    queue: Queue
    waiting: int
    longest_wait_seconds: int


@dataclass(frozen=True)
class Wallboard:
    lines_in_use: int
    lines_talking: int
    agents: list[FloorAgent]
    by_state: list[tuple[str, str | Promise, int]]
    queues: list[QueueLine]


def seconds_since(start: datetime | None, now: datetime) -> int:
    return max(0, int((now - start).total_seconds())) if start else 0


def floor_agents(now: datetime) -> list[FloorAgent]:
    """Every agent with their state, by number: the wallboard's and the workspace's list."""
    agents = list(Agent.objects.select_related("user", "group").order_by("number"))
    talking = set(
        CallLeg.objects.filter(ended_at=None, answered_at__isnull=False).values_list(
            "agent_id", flat=True
        )
    )
    return [FloorAgent(a, a.pk in talking, seconds_since(a.state_since, now)) for a in agents]


def wallboard(now: datetime) -> Wallboard:
    # Not answered yet, or back in the queue after a transfer nobody answered.
    waiting = Q(call__ended_at=None) & (
        Q(call__outcome=Call.Outcome.WAITING) | Q(call__returned_at__isnull=False)
    )
    queues = Queue.objects.annotate(
        waiting=Count("call", filter=waiting), oldest=Min("call__queued_at", filter=waiting)
    ).order_by("code")
    lines = Call.objects.filter(ended_at=None).aggregate(
        in_use=Count("id"), talking=Count("id", filter=Q(answered_at__isnull=False))
    )
    agents = floor_agents(now)
    counts = {value: 0 for value in A.values}
    for floor_agent in agents:
        counts[floor_agent.agent.state] += 1
    return Wallboard(
        lines_in_use=lines["in_use"],
        lines_talking=lines["talking"],
        agents=agents,
        by_state=[(value, label, counts[value]) for value, label in A.choices],
        queues=[QueueLine(q, q.waiting, seconds_since(q.oldest, now)) for q in queues],
    )
