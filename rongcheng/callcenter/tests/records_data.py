"""Calls, legs, work records and recordings of two agents in two groups, for the records desk
tests. Times are fixed instants; the site's day of 2026-03-02 runs 2026-03-01 16:00 UTC to
2026-03-02 16:00 UTC."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rongcheng.accounts import roles
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallLeg, Recording
from rongcheng.callcenter.tests.factories import make_agent, make_queue
from rongcheng.core.testing.factories import UserFactory

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
NEXT_DAY = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)  # 2026-03-03 00:30 in Shanghai


@dataclass
class Desk:
    alice: Agent  # 1001, group hotline
    bob: Agent  # 2001, group vip
    supervisor: object
    calls: dict[str, Call]
    recordings: dict[str, Recording]


def make_call(
    key: str,
    at: datetime,
    *,
    number: str,
    agent: Agent | None,
    direction: str = Call.Direction.INBOUND,
    **fields,
) -> Call:
    return Call.objects.create(
        engine_call_id=f"call-{key}",
        direction=direction,
        caller_number=number,
        callee_number="4008001234",
        agent=agent,
        offered_at=at,
        **fields,
    )


def make_leg(call: Call, agent: Agent, key: str, at: datetime, **fields) -> CallLeg:
    return CallLeg.objects.create(
        call=call, agent=agent, engine_leg_id=f"leg-{key}", offered_at=at, **fields
    )


def make_recording(call: Call, leg: CallLeg, at: datetime, seconds: int = 30) -> Recording:
    return Recording.objects.create(
        call=call,
        leg=leg,
        agent=leg.agent,
        path=f"callcenter/recordings/{at:%Y/%m/%d}/{leg.engine_leg_id}.wav",
        started_at=at,
        seconds=seconds,
    )


def make_desk() -> Desk:
    queue = make_queue("consult", skill="consult", digit="2")
    alice = make_agent("1001", group="hotline")
    bob = make_agent("2001", group="vip")
    supervisor = roles.user_grant_role(user=UserFactory(), role=roles.CS_SUPERVISOR)
    answered = dict(outcome=Call.Outcome.ANSWERED, queue=queue)
    calls = {
        # Alice's own call; Bob's own call; one Alice took and transferred to Bob.
        "alice": make_call("alice", T0, number="04778880001", agent=alice, **answered),
        "bob": make_call("bob", T0 + timedelta(minutes=5), number="01066660002", agent=bob),
        "moved": make_call(
            "moved", T0 + timedelta(minutes=10), number="04778880003", agent=bob, **answered
        ),
        # The next site day.
        "later": make_call("later", NEXT_DAY, number="04778880004", agent=alice, **answered),
    }
    legs = {
        "alice": make_leg(calls["alice"], alice, "alice", T0),
        "bob": make_leg(calls["bob"], bob, "bob", T0 + timedelta(minutes=5)),
        "moved-a": make_leg(calls["moved"], alice, "moved-a", T0 + timedelta(minutes=10)),
        "moved-b": make_leg(calls["moved"], bob, "moved-b", T0 + timedelta(minutes=12)),
    }
    recordings = {key: make_recording(leg.call, leg, leg.offered_at) for key, leg in legs.items()}
    for agent, minutes in ((alice, 0), (bob, 1)):
        AgentEvent.objects.create(
            agent=agent,
            from_state=Agent.State.SIGNED_OUT,
            to_state=Agent.State.IDLE,
            created_at=T0 - timedelta(minutes=30 - minutes),
        )
    return Desk(alice, bob, supervisor, calls, recordings)
