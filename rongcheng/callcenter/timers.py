"""The call center's clock: what must happen when time passes with no event to say so.

`tick` runs every few seconds (the `callcenter-tick` periodic job, Celery beat or the embedded
scheduler). Each part is idempotent, so a tick that runs twice, or late, does no harm:

- overflow: calls waiting past their queue's overflow seconds move to the overflow queue;
- wrap-up: an agent whose wrap-up has lasted `CALLCENTER_WRAP_UP_SECONDS` is made ready by the
  server, whether or not the workspace page is open;
- ringing: a leg ringing longer than `CALLCENTER_RING_SECONDS` is hung up; the engine's hang-up
  event then takes the call back through `cti` as for a rejected call;
- dispatch: every queue with waiting calls is offered to the free agents;
- announcements: callers still waiting hear their place and the wait again;
- call backs: waiting requests go to free agents of queues where no caller waits.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from rongcheng.callcenter import acd, announcements, callbacks, cti, state
from rongcheng.callcenter.engine import TelephonyEngine
from rongcheng.callcenter.errors import AgentStateInvalid
from rongcheng.callcenter.models import Agent, Call, CallLeg, Queue

logger = logging.getLogger(__name__)
A = Agent.State
# The cause FreeSWITCH gives an originate nobody answered in time.
RING_TIMEOUT_CAUSE = "NO_ANSWER"


@dataclass(frozen=True)
class Ticked:
    overflowed: list[int]
    wrap_ups_ended: list[int]
    rang_out: list[str]
    announced: list[int]
    called_back: list[int]


def end_wrap_ups(*, now: datetime) -> list[int]:
    """Agents in wrap-up for its full time become idle; returns their ids."""
    cutoff = now - timedelta(seconds=settings.CALLCENTER_WRAP_UP_SECONDS)
    ended = []
    due = Agent.objects.filter(state=A.WRAP_UP, state_since__lte=cutoff).order_by("id")
    for agent in due:
        try:
            # Only from wrap-up: an agent who chose busy meanwhile stays busy.
            state.transition(
                agent, to=A.IDLE, reason=_("话后整理时间到"), now=now, expect=(A.WRAP_UP,)
            )
        except AgentStateInvalid:
            continue
        ended.append(agent.pk)
    return ended


def ring_out(*, engine: TelephonyEngine, now: datetime) -> list[str]:
    """Hang up legs ringing too long; returns their channels."""
    cutoff = now - timedelta(seconds=settings.CALLCENTER_RING_SECONDS)
    channels = list(
        CallLeg.objects.filter(answered_at=None, ended_at=None, offered_at__lte=cutoff)
        .order_by("offered_at", "id")
        .values_list("engine_leg_id", flat=True)
    )
    for channel in channels:
        engine.hang_up(channel, cause=RING_TIMEOUT_CAUSE)
    return channels


def tick(*, engine: TelephonyEngine, now: datetime) -> Ticked:
    overflowed = acd.overflow(now=now)
    wrap_ups_ended = end_wrap_ups(now=now)
    rang_out = ring_out(engine=engine, now=now)
    waiting = Call.objects.filter(acd.WAITING).values("queue_id")
    for queue in Queue.objects.filter(pk__in=waiting).order_by("id"):
        cti.dispatch(queue, engine=engine, now=now)
    return Ticked(
        overflowed=overflowed,
        wrap_ups_ended=wrap_ups_ended,
        rang_out=rang_out,
        announced=announcements.announce_due(engine=engine, now=now),
        called_back=callbacks.offer_due(engine=engine, now=now),
    )
