"""Calls out (CALL-8): click to call from a customer record, and the call backs the ACD gives
agents (`callbacks`). The agent's phone rings first, the customer's at the same time; the
engine bridges them when the agent answers (`cti.leg_answered`), as for an inbound call."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction

from rongcheng.callcenter import acd, state
from rongcheng.callcenter.engine import TelephonyEngine
from rongcheng.callcenter.models import Agent, Call, CallLeg

A = Agent.State


def call_out(
    agent: Agent, *, number: str, engine: TelephonyEngine, now: datetime, reason: str
) -> Call:
    """Refused (the agent is not idle), nothing is written or dialled."""
    call, leg = place_call_out(agent, number=number, now=now, reason=reason)
    dial_call_out(call, leg, engine=engine)
    return call


def place_call_out(
    agent: Agent, *, number: str, now: datetime, reason: str
) -> tuple[Call, CallLeg]:
    """The records of a call out, the agent ringing; `dial_call_out` after the commit."""
    member = acd.identify_caller(number).member
    with transaction.atomic():
        call = Call.objects.create(
            engine_call_id=str(uuid.uuid4()),
            direction=Call.Direction.OUTBOUND,
            caller_number=settings.CALLCENTER_HOTLINE,
            callee_number=number,
            caller=member,
            is_vip=bool(member and member.is_vip),
            offered_at=now,
            # The wait is counted from here: for a call out, while the agent's phone rings.
            queued_at=now,
            agent=agent,
        )
        state.transition(agent, to=A.RINGING, call=call, reason=reason, now=now)
        leg = CallLeg.objects.create(
            call=call, agent=agent, engine_leg_id=str(uuid.uuid4()), offered_at=now
        )
    return call, leg


def dial_call_out(call: Call, leg: CallLeg, *, engine: TelephonyEngine) -> None:
    engine.originate(
        leg.engine_leg_id, destination=f"agent/{leg.agent.number}", caller_number=call.callee_number
    )
    engine.originate(
        call.engine_call_id, destination=call.callee_number, caller_number=call.caller_number
    )
