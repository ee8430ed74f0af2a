"""Computer-telephony integration: the engine's events drive the calls, the agents' states
and the ACD; the commands this decides go back to the engine.

An inbound call: offered → answered by the IVR → its menu tree (`ivr`) leads to a queue → the
ACD rings an agent → the agent answers (talking, bridged, recorded) → hang-up (wrap-up).
Each step is one transaction; engine commands are sent after it commits, never under a row
lock, and every handler tolerates an event it has already seen.
"""

import logging
import uuid
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.callcenter import acd, announcements, callbacks, ivr, state
from rongcheng.callcenter.engine import (
    Answered,
    CallOffered,
    DigitTimeout,
    Dtmf,
    Event,
    HungUp,
    RecordingReady,
    TelephonyEngine,
)
from rongcheng.callcenter.errors import AgentStateInvalid, CallNotTransferable
from rongcheng.callcenter.models import Agent, Call, CallLeg, IvrMenu, Queue, Recording

logger = logging.getLogger(__name__)
A = Agent.State
REJECTED_CAUSES = frozenset({"CALL_REJECTED", "USER_BUSY"})


def handle(event: Event, *, engine: TelephonyEngine) -> None:
    match event:
        case CallOffered():
            call_offered(event, engine=engine)
        case Dtmf():
            digit_pressed(event, engine=engine)
        case DigitTimeout():
            digit_timeout(event, engine=engine)
        case Answered():
            leg_answered(event, engine=engine)
        case HungUp():
            hung_up(event, engine=engine)
        case RecordingReady():
            recording_ready(event)


def call_offered(event: CallOffered, *, engine: TelephonyEngine) -> None:
    caller = acd.identify_caller(event.caller_number)
    menu = ivr.entry_menu()
    _call, created = Call.objects.get_or_create(
        engine_call_id=event.channel,
        defaults={
            "direction": Call.Direction.INBOUND,
            "caller_number": event.caller_number,
            "callee_number": event.callee_number,
            "caller": caller.member,
            "is_vip": caller.is_vip,
            "is_long_distance": caller.is_long_distance,
            "offered_at": event.at,
            "ivr_menu": menu,
        },
    )
    if not created:
        return
    if menu is None:
        logger.error("No IVR entry menu: call %s refused", event.channel)
        engine.hang_up(event.channel, cause="SERVICE_UNAVAILABLE")
        return
    engine.answer(event.channel)
    _prompt_menu(event.channel, menu, engine=engine)


def _prompt_menu(channel: str, menu: IvrMenu, *, engine: TelephonyEngine) -> None:
    engine.collect_digits(
        channel, prompt=ivr.prompt_name(menu.prompt), max_digits=1, timeout=menu.timeout_seconds
    )


def _in_menu(channel: str) -> Call | None:
    """The call while it is in the IVR; digits pressed later are not menu choices."""
    return (
        Call.objects.select_related(*ivr.MENU_RELATED)
        .filter(engine_call_id=channel, queue=None, ended_at=None, ivr_menu__isnull=False)
        .first()
    )


def digit_pressed(event: Dtmf, *, engine: TelephonyEngine) -> None:
    call = _in_menu(event.channel)
    if call is None:
        callbacks.request(event, engine=engine)  # a key pressed in the queue
    else:
        assert call.ivr_menu is not None
        step = ivr.after_key(call.ivr_menu, call.ivr_attempts, event.digit)
        _take_step(call, step, engine=engine, at=event.at)


def digit_timeout(event: DigitTimeout, *, engine: TelephonyEngine) -> None:
    call = _in_menu(event.channel)
    if call is not None:
        assert call.ivr_menu is not None
        step = ivr.after_timeout(call.ivr_menu, call.ivr_attempts)
        _take_step(call, step, engine=engine, at=event.at)


def _take_step(call: Call, step: ivr.Step, *, engine: TelephonyEngine, at: datetime) -> None:
    # Conditional on where the call was, so an event delivered twice moves it once.
    where = Call.objects.filter(
        pk=call.pk, queue=None, ivr_menu=call.ivr_menu, ivr_attempts=call.ivr_attempts
    )
    channel = call.engine_call_id
    match step:
        case ivr.ToQueue(queue=queue):
            moved = where.update(
                queue=queue,
                category=queue.category,
                queued_at=at,
                queue_entered_at=at,
                updated_at=at,
            )
            if moved:
                engine.park(channel)
                dispatch(queue, engine=engine, now=at)
                waiting = Call.objects.select_related("queue").filter(acd.WAITING, pk=call.pk)
                if (still := waiting.first()) is not None:
                    announcements.announce(still, engine=engine, now=at)
        case ivr.ToMenu(menu=menu, failures=failures, invalid_key=invalid_key):
            if where.update(ivr_menu=menu, ivr_attempts=failures, updated_at=at):
                if invalid_key and menu.invalid_prompt is not None:
                    engine.play(channel, ivr.prompt_name(menu.invalid_prompt))
                _prompt_menu(channel, menu, engine=engine)
        case ivr.Goodbye(prompt=prompt):
            if where.update(ivr_menu=None, updated_at=at):
                engine.play_and_hang_up(channel, ivr.prompt_name(prompt))


def dispatch(queue: Queue, *, engine: TelephonyEngine, now: datetime) -> None:
    """Ring free agents for the queue's waiting calls while both exist."""
    while match := acd.next_match(queue):
        call, agent = match
        leg = _ring(call, agent, now=now)
        if leg is not None:
            _originate(leg, engine=engine)


def agent_ready(agent: Agent, *, engine: TelephonyEngine, now: datetime) -> None:
    """The agent signs in or ends wrap-up, busy or leave: idle, offered the waiting calls of
    the agent's skills at once."""
    state.transition(agent, to=A.IDLE, now=now)
    for queue in Queue.objects.filter(skill__agentskill__agent=agent).order_by("id"):
        dispatch(queue, engine=engine, now=now)


def _ring(call: Call, agent: Agent, *, now: datetime) -> CallLeg | None:
    """Give the call to the agent (ringing) with a new leg; None when either was taken."""
    try:
        with transaction.atomic():
            locked = Call.objects.select_for_update().filter(acd.WAITING, pk=call.pk).first()
            if locked is None:
                return None
            state.transition(agent, to=A.RINGING, call=locked, now=now)
            locked.agent = agent
            locked.save(update_fields=["agent", "updated_at"])
            return CallLeg.objects.create(
                call=locked, agent=agent, engine_leg_id=str(uuid.uuid4()), offered_at=now
            )
    except AgentStateInvalid:
        return None


def recording_name(leg: CallLeg, at: datetime) -> str:
    return f"callcenter/recordings/{at:%Y/%m/%d}/{leg.engine_leg_id}.wav"


def leg_answered(event: Answered, *, engine: TelephonyEngine) -> None:
    leg = (
        CallLeg.objects.select_related("call", "agent").filter(engine_leg_id=event.channel).first()
    )
    if leg is None:
        callbacks.customer_answered(event.channel, at=event.at)
        return
    if leg.answered_at is not None or leg.ended_at is not None:
        return  # seen already, or the caller hung up while it rang
    call = leg.call
    with transaction.atomic():
        state.transition(leg.agent, to=A.TALKING, call=call, now=event.at)
        CallLeg.objects.filter(pk=leg.pk).update(
            answered_at=event.at, outcome=CallLeg.Outcome.ANSWERED, updated_at=event.at
        )
        if call.answered_at is None:
            assert call.queued_at is not None
            Call.objects.filter(pk=call.pk).update(
                answered_at=event.at,
                wait_seconds=_seconds(call.queued_at, event.at),
                outcome=Call.Outcome.ANSWERED,
                updated_at=event.at,
            )
        else:  # back with an agent after a transfer, or after a return to the queue
            Call.objects.filter(pk=call.pk).update(
                returned_at=None, held_at=None, updated_at=event.at
            )
    engine.bridge(call.engine_call_id, leg.engine_leg_id)
    engine.start_recording(leg.engine_leg_id, path=recording_name(leg, event.at))


def hung_up(event: HungUp, *, engine: TelephonyEngine) -> None:
    leg = (
        CallLeg.objects.select_related("call", "agent").filter(engine_leg_id=event.channel).first()
    )
    if leg is None:
        call = Call.objects.filter(engine_call_id=event.channel).first()
        if call is not None:
            open_leg = _end_call(call, event)
            if open_leg is not None:
                engine.hang_up(open_leg.engine_leg_id)
        return
    if leg.ended_at is not None:
        return  # ended by us: the caller hung up first, or the call was transferred
    if leg.answered_at is None:
        back = _not_answered(leg, event)
        if back is not None:
            _originate(back, engine=engine)
        elif leg.call.direction == Call.Direction.OUTBOUND:
            # The agent did not take their own call out: the customer's phone stops too.
            engine.hang_up(leg.call.engine_call_id)
        else:
            assert leg.call.queue is not None
            dispatch(leg.call.queue, engine=engine, now=event.at)
    else:
        _end_call(leg.call, event)
        engine.hang_up(leg.call.engine_call_id)


def _not_answered(leg: CallLeg, event: HungUp) -> CallLeg | None:
    """The agent rejected the call or let it ring out. A caller who has not talked yet waits
    for the next agent. A transferred caller goes back to the transferring agent if that agent
    is idle (the new leg is returned, to be dialled), else to the head of the queue."""
    outcome = CallLeg.Outcome.REJECTED if event.cause in REJECTED_CAUSES else CallLeg.Outcome.MISSED
    with transaction.atomic():
        CallLeg.objects.filter(pk=leg.pk, ended_at=None).update(
            ended_at=event.at, outcome=outcome, updated_at=event.at
        )
        call = Call.objects.select_for_update().get(pk=leg.call_id)
        call.agent = None
        state.transition(leg.agent, to=A.IDLE, call=call, reason=event.cause, now=event.at)
        if call.answered_at is None or call.ended_at is not None:
            call.save(update_fields=["agent", "updated_at"])
            return None
        back = _ring_back(call, leg, now=event.at)
        if back is None:
            call.returned_at = event.at
        call.save(update_fields=["agent", "returned_at", "updated_at"])
    return back


def _ring_back(call: Call, unanswered: CallLeg, *, now: datetime) -> CallLeg | None:
    """Ring the agent who transferred the call, if that agent is idle; None otherwise."""
    previous = unanswered.transferred_from
    if previous is None:
        return None
    try:
        with transaction.atomic():
            reason = _("转接未接通，回到转出坐席")
            state.transition(previous.agent, to=A.RINGING, call=call, reason=reason, now=now)
    except AgentStateInvalid:
        return None
    call.agent = previous.agent
    return CallLeg.objects.create(
        call=call, agent=previous.agent, engine_leg_id=str(uuid.uuid4()), offered_at=now
    )


def _originate(leg: CallLeg, *, engine: TelephonyEngine) -> None:
    engine.originate(
        leg.engine_leg_id,
        destination=f"agent/{leg.agent.number}",
        caller_number=leg.call.caller_number,
    )


def _end_call(call: Call, event: HungUp) -> CallLeg | None:
    """Close the call and its open leg; returns that leg (its channel is still up)."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.ended_at is not None:
            return None
        locked.ended_at = event.at
        locked.hangup_cause = event.cause
        if locked.answered_at is not None:
            locked.talk_seconds = _seconds(locked.answered_at, event.at)
        else:
            if locked.outcome == Call.Outcome.WAITING:  # a call-back request stays one
                locked.outcome = Call.Outcome.ABANDONED
            if locked.queued_at is not None:
                locked.wait_seconds = _seconds(locked.queued_at, event.at)
        locked.save()
        leg = locked.legs.select_related("agent").filter(ended_at=None).first()
        if leg is not None:
            _end_leg(leg, at=event.at, call=locked)
        if locked.direction == Call.Direction.OUTBOUND:
            callbacks.call_back_ended(locked, at=event.at)
    return leg


def _end_leg(leg: CallLeg, *, at: datetime, call: Call) -> None:
    leg.ended_at = at
    if leg.answered_at is not None:
        leg.outcome = CallLeg.Outcome.COMPLETED
        leg.talk_seconds = _seconds(leg.answered_at, at)
        state.transition(leg.agent, to=A.WRAP_UP, call=call, now=at)
    else:
        leg.outcome = CallLeg.Outcome.MISSED
        state.transition(leg.agent, to=A.IDLE, call=call, now=at)
    leg.save(update_fields=["ended_at", "outcome", "talk_seconds", "updated_at"])


def transfer(call: Call, *, to: Agent, engine: TelephonyEngine, now: datetime) -> CallLeg:
    """Hand the caller to a named idle agent: the transferring agent becomes idle at once and
    the caller holds while the new agent rings. Refused, nothing changes."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        current = locked.legs.select_related("agent").filter(ended_at=None).first()
        if current is None or current.answered_at is None or current.agent_id == to.pk:
            raise CallNotTransferable(_("这通电话当前不能转接。"))
        state.transition(to, to=A.RINGING, call=locked, now=now)
        current.ended_at = now
        current.outcome = CallLeg.Outcome.TRANSFERRED
        current.talk_seconds = _seconds(current.answered_at, now)
        current.save(update_fields=["ended_at", "outcome", "talk_seconds", "updated_at"])
        state.transition(current.agent, to=A.IDLE, call=locked, reason=_("转接"), now=now)
        locked.agent = to
        locked.save(update_fields=["agent", "updated_at"])
        leg = CallLeg.objects.create(
            call=locked,
            agent=to,
            engine_leg_id=str(uuid.uuid4()),
            offered_at=now,
            transferred_from=current,
        )
    engine.park(locked.engine_call_id)
    engine.hang_up(current.engine_leg_id)
    _originate(leg, engine=engine)
    return leg


def recording_ready(event: RecordingReady) -> None:
    leg = CallLeg.objects.filter(engine_leg_id=event.channel).first()
    if leg is None:
        return
    Recording.objects.get_or_create(
        path=event.path,
        defaults={
            "leg": leg,
            "call_id": leg.call_id,
            "agent_id": leg.agent_id,
            "started_at": leg.answered_at or event.at,
            "seconds": event.seconds,
        },
    )


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))
