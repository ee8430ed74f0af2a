"""The agent state machine (CALL-8): the one place an agent's state is written.

`transition` locks the agent row, checks the step against `TRANSITIONS`, saves the state and
appends the work-record event (how long the left state lasted) in the same transaction.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.callcenter.errors import AgentStateInvalid
from rongcheng.callcenter.models import Agent, AgentEvent, Call

A = Agent.State

TRANSITIONS: dict[str, frozenset[str]] = {
    A.SIGNED_OUT: frozenset({A.IDLE}),
    # Only an idle agent is offered calls; busy and temporary leave receive nothing.
    A.IDLE: frozenset({A.RINGING, A.BUSY, A.LEAVE, A.SIGNED_OUT}),
    # Not answered (rejected, timed out, caller gone) returns the agent to idle.
    A.RINGING: frozenset({A.TALKING, A.IDLE}),
    # Hang-up leads to wrap-up; a transfer hands the caller on and leaves the agent idle.
    A.TALKING: frozenset({A.WRAP_UP, A.IDLE}),
    A.WRAP_UP: frozenset({A.IDLE, A.BUSY, A.LEAVE, A.SIGNED_OUT}),
    A.BUSY: frozenset({A.IDLE, A.LEAVE, A.SIGNED_OUT}),
    A.LEAVE: frozenset({A.IDLE, A.BUSY, A.SIGNED_OUT}),
}


def can_transition(from_state: str, to: str) -> bool:
    return to in TRANSITIONS.get(from_state, frozenset())


def transition(
    agent: Agent,
    *,
    to: str,
    call: Call | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Agent:
    """Lock the agent, check the step, save it and log it; `agent` is refreshed too."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Agent.objects.select_for_update().get(pk=agent.pk)
        if not can_transition(locked.state, to):
            raise AgentStateInvalid(
                _("坐席 %(number)s 当前为“%(state)s”，不能变为“%(to)s”。")
                % {"number": locked.number, "state": locked.get_state_display(), "to": A(to).label}
            )
        from_state = locked.state
        since = locked.state_since or now
        locked.state = to
        locked.state_since = now
        if to == A.IDLE:
            locked.idle_since = now
        locked.save(update_fields=["state", "state_since", "idle_since", "updated_at"])
        AgentEvent.objects.create(
            agent=locked,
            from_state=from_state,
            to_state=to,
            seconds_in_from_state=max(0, int((now - since).total_seconds())),
            call=call,
            reason=reason,
            created_at=now,
        )
    agent.refresh_from_db()
    return locked
