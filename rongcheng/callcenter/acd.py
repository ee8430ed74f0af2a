"""Automatic call distribution (CALL-7): which waiting call goes to which free agent.

Waiting calls are served VIP members first, then long-distance callers, then the others, each
in order of arrival; a caller whose transfer nobody answered is served before them all. The
agent is the idle one with the queue's skill at the highest level, the longest idle among
equals. A call waiting longer than its queue's overflow seconds moves to the overflow queue.
Only idle agents are chosen: busy, temporary leave, ringing, talking and wrap-up receive
nothing.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from rongcheng.accounts.models import User
from rongcheng.callcenter.models import Agent, AgentSkill, Call, CallLeg, Queue

# Waiting for an agent: not yet answered, or returned to the queue by an unanswered transfer.
WAITING = Q(agent=None, ended_at=None) & (
    Q(outcome=Call.Outcome.WAITING) | Q(returned_at__isnull=False)
)
WAITING_ORDER = (
    F("returned_at").asc(nulls_last=True),
    "-is_vip",
    "-is_long_distance",
    "queued_at",
    "id",
)
DECLINED = (CallLeg.Outcome.REJECTED, CallLeg.Outcome.MISSED)
# The numbering plan: Beijing (010) and the 02X cities have three-digit area codes, all others
# four; mobile numbers carry no area code.
THREE_DIGIT_AREA_PREFIXES = ("010", "02")


@dataclass(frozen=True)
class Caller:
    member: User | None
    is_vip: bool
    is_long_distance: bool


@dataclass(frozen=True)
class QueuePlace:
    position: int
    estimated_wait_seconds: int


def area_code(number: str) -> str:
    """The area code of a fixed-line number dialled with its trunk prefix, or ""."""
    if not number.startswith("0") or number.startswith("00"):
        return ""
    return number[:3] if number.startswith(THREE_DIGIT_AREA_PREFIXES) else number[:4]


def identify_caller(number: str) -> Caller:
    """The member behind the number, if any, and how the ACD ranks the call.

    A fixed line is long-distance when its area code is not the center's; a mobile number when
    it belongs to a member whose city is not the center's (unknown mobiles count as local).
    """
    member = User.objects.filter(mobile=number, is_active=True).first() if number else None
    code = area_code(number)
    if code:
        far = code != settings.CALLCENTER_AREA_CODE
    else:
        far = bool(member and member.city_id and member.city_id != settings.CALLCENTER_CITY_CODE)
    return Caller(member=member, is_vip=bool(member and member.is_vip), is_long_distance=far)


def waiting_calls(queue: Queue):
    return Call.objects.filter(WAITING, queue=queue).order_by(*WAITING_ORDER)


def best_free_agent(queue: Queue, *, exclude: tuple[int, ...] = ()) -> Agent | None:
    """The idle agent with the queue's skill at the highest level, longest idle among equals."""
    skill = (
        AgentSkill.objects.filter(skill_id=queue.skill_id, agent__state=Agent.State.IDLE)
        .exclude(agent_id__in=exclude)
        .select_related("agent")
        .order_by("-level", "agent__idle_since", "agent_id")
        .first()
    )
    return skill.agent if skill else None


def next_match(queue: Queue) -> tuple[Call, Agent] | None:
    """The first waiting call of the queue and the agent to ring for it, if both exist. An
    agent who rejected or missed the call is not rung for it again."""
    call = waiting_calls(queue).first()
    if call is None:
        return None
    declined = tuple(call.legs.filter(outcome__in=DECLINED).values_list("agent_id", flat=True))
    agent = best_free_agent(queue, exclude=declined)
    return (call, agent) if agent else None


def overflow(*, now: datetime) -> list[int]:
    """Move every call waiting past its queue's overflow seconds to the overflow queue; returns
    the ids moved, sorted. One UPDATE per queue that overflows; a call moves one queue per run
    and its overflow clock starts again, so running again at once moves nothing."""
    moved: list[int] = []
    for queue in Queue.objects.filter(overflow_to__isnull=False).order_by("id"):
        cutoff = now - timedelta(seconds=queue.overflow_seconds)
        due = Call.objects.filter(WAITING, queue=queue, queue_entered_at__lte=cutoff)
        with transaction.atomic():
            ids = list(due.select_for_update().values_list("pk", flat=True))
            Call.objects.filter(pk__in=ids).update(
                queue_id=queue.overflow_to_id, queue_entered_at=now, updated_at=now
            )
        moved += ids
    return sorted(moved)


def place_in_queue(call: Call) -> QueuePlace:
    """The caller's position (1 = next) and the wait announced: the calls up to and including
    this one, times the average talk time of the queue's last `CALLCENTER_WAIT_SAMPLE_CALLS`
    answered calls (recent, so the estimate follows the day's calls), shared by the queue's
    signed-in agents not on leave. Three statements."""
    assert call.queue is not None
    waiting = waiting_calls(call.queue)
    if call.returned_at is not None:
        ahead = waiting.filter(returned_at__lt=call.returned_at)
    else:
        ahead = waiting.filter(
            Q(returned_at__isnull=False)
            | Q(is_vip__gt=call.is_vip)
            | Q(is_vip=call.is_vip, is_long_distance__gt=call.is_long_distance)
            | Q(
                is_vip=call.is_vip,
                is_long_distance=call.is_long_distance,
                queued_at__lt=call.queued_at,
            )
            | Q(
                is_vip=call.is_vip,
                is_long_distance=call.is_long_distance,
                queued_at=call.queued_at,
                id__lt=call.pk,
            )
        )
    return _estimate(call.queue, ahead.count() + 1)


def places(queue: Queue) -> dict[int, QueuePlace]:
    """Every waiting call of the queue → its place, in three statements whatever their number."""
    ids = waiting_calls(queue).values_list("pk", flat=True)
    handle, staffed = _handle_seconds(queue), _staffed(queue)
    return {
        pk: QueuePlace(position, _wait(position, handle, staffed))
        for position, pk in enumerate(ids, start=1)
    }


def _estimate(queue: Queue, position: int) -> QueuePlace:
    return QueuePlace(position, _wait(position, _handle_seconds(queue), _staffed(queue)))


def _wait(position: int, handle: float, staffed: int) -> int:
    return math.ceil(position * handle / max(staffed, 1))


def _handle_seconds(queue: Queue) -> float:
    """The average talk time of the queue's latest answered calls."""
    recent = list(
        Call.objects.filter(queue=queue, outcome=Call.Outcome.ANSWERED, talk_seconds__gt=0)
        .order_by("-answered_at", "-id")
        .values_list("talk_seconds", flat=True)[: settings.CALLCENTER_WAIT_SAMPLE_CALLS]
    )
    return sum(recent) / len(recent) if recent else settings.CALLCENTER_DEFAULT_HANDLE_SECONDS


def _staffed(queue: Queue) -> int:
    """The queue's agents who are signed in and not on temporary leave."""
    return (
        Agent.objects.filter(skills__skill_id=queue.skill_id)
        .exclude(state__in=[Agent.State.SIGNED_OUT, Agent.State.LEAVE])
        .count()
    )
