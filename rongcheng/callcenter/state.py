"""The agent state machine (CALL-8): the one place an agent's state is written.

`transition` takes a step through `core.lifecycle`: it locks the agent row, checks the step
against `TRANSITIONS`, saves the state and appends the work-record event (how long the left
state lasted) in the same transaction.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.callcenter.errors import AgentStateInvalid
from rongcheng.callcenter.models import Agent, AgentEvent, Call
from rongcheng.core.lifecycle import Lifecycle

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


def _refused(agent: Agent, to: str) -> AgentStateInvalid:
    return AgentStateInvalid(
        _("坐席 %(number)s 当前为“%(state)s”，不能变为“%(to)s”。")
        % {"number": agent.number, "state": agent.get_state_display(), "to": A(to).label}
    )


LIFECYCLE = Lifecycle(Agent, AgentEvent, TRANSITIONS, refused=_refused, field="state")


def transition(
    agent: Agent,
    *,
    to: str,
    call: Call | None = None,
    reason: str = "",
    now: datetime | None = None,
    expect: tuple[str, ...] | None = None,
) -> Agent:
    """Lock the agent, check the step (from a state of `expect` only, when given), save it and
    log it; `agent` is brought up to date too."""
    now = now or timezone.now()
    changes = {"state_since": now, **({"idle_since": now} if to == A.IDLE else {})}

    def event(before: Agent) -> AgentEvent:
        since = before.state_since or now
        return AgentEvent(
            agent=before,
            from_state=before.state,
            to_state=to,
            seconds_in_from_state=max(0, int((now - since).total_seconds())),
            call=call,
            reason=reason,
            created_at=now,
        )

    return LIFECYCLE.move(agent, to=to, event=event, changes=changes, expect=expect).row
