"""Call-back requests (CALL-7): a caller told of a long wait presses 1 and hangs up instead of
waiting; an agent of the queue calls them back.

- Pressing 1 after the offer (`announcements`) records the request (number, queue, time),
  thanks the caller and hangs up; the call's outcome is `callback`, not abandoned.
- The clock's tick (`offer_due`) gives the oldest waiting request of a queue to the queue's best
  free agent as a call out, once no caller waits in that queue: callers on the line first.
- The customer answering makes it `done`; a call back that ends unanswered puts it back to
  `waiting` until it has been tried `CALLCENTER_CALLBACK_ATTEMPTS` times, then `failed`.

Every status change goes through `LIFECYCLE` with its `CallbackEvent`, and each new request and
each change is pushed to the floor, so agents' workspaces show the requests live (`for_agent`).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from rongcheng.callcenter import acd, announcements, outbound
from rongcheng.callcenter.engine import Dtmf, TelephonyEngine
from rongcheng.callcenter.errors import AgentStateInvalid, CallbackStateInvalid
from rongcheng.callcenter.models import Agent, AgentSkill, Call, CallbackEvent, CallbackRequest
from rongcheng.callcenter.push import push_to_floor
from rongcheng.core.lifecycle import Lifecycle

S = CallbackRequest.Status
REQUEST_KEY = "1"
# The workspace lists the oldest this many; the records desk has them all.
WORKSPACE_LIMIT = 50

TRANSITIONS: dict[str, frozenset[str]] = {
    S.WAITING: frozenset({S.CALLING}),
    # Answered by the customer, or not: tried again later, or given up.
    S.CALLING: frozenset({S.DONE, S.WAITING, S.FAILED}),
    S.DONE: frozenset(),
    S.FAILED: frozenset(),
}


def _refused(callback: CallbackRequest, to: str) -> CallbackStateInvalid:
    return CallbackStateInvalid(
        _("回电请求当前为“%(state)s”，不能变为“%(to)s”。")
        % {"state": callback.get_status_display(), "to": S(to).label}
    )


LIFECYCLE = Lifecycle(CallbackRequest, CallbackEvent, TRANSITIONS, refused=_refused)


def _move(callback: CallbackRequest, *, to: str, call: Call | None, now: datetime, **changes):
    def event(before: CallbackRequest) -> CallbackEvent:
        return CallbackEvent(
            callback=before, from_status=before.status, to_status=to, call=call, created_at=now
        )

    row = LIFECYCLE.move(callback, to=to, event=event, changes=changes).row
    push_to_floor(callback_payload(row))
    return row


def callback_payload(callback: CallbackRequest) -> dict[str, Any]:
    return {
        "type": "callback",
        "callback": callback.pk,
        "queue": callback.queue_id,
        "status": callback.status,
        "agent": callback.agent_id,
    }


def for_agent(agent: Agent) -> list[CallbackRequest]:
    """What an agent's workspace shows, oldest first: the requests waiting in the queues the
    agent serves and the agent's own being called back (as the records desk allows them)."""
    serves = AgentSkill.objects.filter(agent=agent, skill_id=OuterRef("queue__skill_id"))
    shown = CallbackRequest.objects.filter(
        Q(Exists(serves), status=S.WAITING) | Q(status=S.CALLING, agent=agent)
    )
    return list(shown.select_related("queue").order_by("requested_at", "pk")[:WORKSPACE_LIMIT])


def request(event: Dtmf, *, engine: TelephonyEngine) -> CallbackRequest | None:
    """The caller pressed a key while queued: 1, after a call back was offered, records the
    request and ends the call; anything else changes nothing."""
    if event.digit != REQUEST_KEY:
        return None
    with transaction.atomic():
        call = (
            Call.objects.select_for_update()
            .filter(acd.WAITING, engine_call_id=event.channel, callback_offered_at__isnull=False)
            .first()
        )
        if call is None or call.queue_id is None:
            return None
        callback = CallbackRequest.objects.create(
            number=call.caller_number,
            queue_id=call.queue_id,
            member_id=call.caller_id,
            call=call,
            requested_at=event.at,
        )
        Call.objects.filter(pk=call.pk).update(outcome=Call.Outcome.CALLBACK, updated_at=event.at)
        push_to_floor(callback_payload(callback))
    files = announcements.prompt_files(["queue-callback-taken"])
    engine.play_and_hang_up(event.channel, files[0] if files else "")
    return callback


def offer_due(*, engine: TelephonyEngine, now: datetime) -> list[int]:
    """Give waiting requests to free agents of their queues, oldest first, where no caller
    waits; returns the ids now calling."""
    calling = []
    waiting_queues = set(Call.objects.filter(acd.WAITING).values_list("queue_id", flat=True))
    due = (
        CallbackRequest.objects.filter(status=S.WAITING)
        .exclude(queue_id__in=waiting_queues)
        .select_related("queue")
        .order_by("requested_at", "id")
    )
    for callback in due:
        agent = acd.best_free_agent(callback.queue)
        if agent is None:
            continue
        try:
            with transaction.atomic():
                call, leg = outbound.place_call_out(
                    agent, number=callback.number, now=now, reason=_("回电")
                )
                _move(
                    callback,
                    to=S.CALLING,
                    call=call,
                    now=now,
                    last_call=call,
                    agent=agent,
                    attempts=callback.attempts + 1,
                )
        except (AgentStateInvalid, CallbackStateInvalid):
            continue  # taken meanwhile: the next tick looks again
        outbound.dial_call_out(call, leg, engine=engine)
        calling.append(callback.pk)
    return calling


def customer_answered(channel: str, *, at: datetime) -> None:
    """The customer picked up a call back: done."""
    callback = CallbackRequest.objects.filter(
        last_call__engine_call_id=channel, status=S.CALLING
    ).first()
    if callback is not None:
        _move(callback, to=S.DONE, call=callback.last_call, now=at)


def call_back_ended(call: Call, *, at: datetime) -> None:
    """A call back ended without the customer picking up: again later, or failed."""
    callback = CallbackRequest.objects.filter(last_call=call, status=S.CALLING).first()
    if callback is None:
        return
    spent = callback.attempts >= settings.CALLCENTER_CALLBACK_ATTEMPTS
    _move(callback, to=S.FAILED if spent else S.WAITING, call=call, now=at)
