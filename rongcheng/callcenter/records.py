"""Who may read which call-center records, and the records themselves (CALL-1, CALL-2, CALL-4):
supervisors (客服班长 and the roles above it) read every agent's; an agent reads only their
own; anyone else nothing. Each selector is a fixed number of statements whatever the page."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from rongcheng.accounts.models import User
from rongcheng.callcenter.models import (
    Agent,
    AgentEvent,
    AgentSkill,
    Call,
    CallbackRequest,
    CallLeg,
    Recording,
)
from rongcheng.core.dates import day_start

# Granted to 客服班长 (and so to 运营 and 平台管理员): reading every agent's records.
SUPERVISE_PERMISSION = "callcenter.view_call"


@dataclass(frozen=True)
class RecordFilter:
    """Days are the site's days, both ends included; numbers match from their start."""

    since: date | None = None
    until: date | None = None
    caller_number: str = ""
    group_id: int | None = None
    agent_number: str = ""


@dataclass(frozen=True)
class Reader:
    """Whose records a user may read: every agent's (`agent` None) or one agent's own."""

    agent: Agent | None

    @property
    def is_supervisor(self) -> bool:
        return self.agent is None


def records_reader(*, user: User) -> Reader:
    if user.has_perm(SUPERVISE_PERMISSION):
        return Reader(agent=None)
    agent = Agent.objects.filter(user=user).select_related("group").first()
    if agent is None:
        raise PermissionDenied
    return Reader(agent=agent)


def _period(field: str, filters: RecordFilter) -> Q:
    q = Q()
    if filters.since:
        q &= Q(**{f"{field}__gte": day_start(filters.since)})
    if filters.until:
        q &= Q(**{f"{field}__lt": day_start(filters.until + timedelta(days=1))})
    return q


def _agent_fields(prefix: str, filters: RecordFilter) -> Q:
    q = Q()
    if filters.group_id:
        q &= Q(**{f"{prefix}group_id": filters.group_id})
    if filters.agent_number:
        q &= Q(**{f"{prefix}number": filters.agent_number})
    return q


def _calls_of(agent: Agent) -> Q:
    """The calls an agent holds, was rung for or transferred on: theirs or with a leg of theirs."""
    return Q(agent=agent) | Q(Exists(CallLeg.objects.filter(call=OuterRef("pk"), agent=agent)))


def call_records(*, reader: Reader, filters: RecordFilter) -> QuerySet[Call]:
    calls = Call.objects.filter(_period("offered_at", filters))
    if filters.caller_number:
        calls = calls.filter(caller_number__startswith=filters.caller_number)
    if filters.group_id or filters.agent_number:
        calls = calls.filter(_agent_fields("agent__", filters))
    if reader.agent is not None:
        calls = calls.filter(_calls_of(reader.agent))
    return calls.select_related("queue", "agent__user", "agent__group").order_by(
        "-offered_at", "-pk"
    )


def work_records(*, reader: Reader, filters: RecordFilter) -> QuerySet[AgentEvent]:
    events = AgentEvent.objects.filter(_period("created_at", filters))
    events = events.filter(_agent_fields("agent__", filters))
    if filters.caller_number:
        events = events.filter(call__caller_number__startswith=filters.caller_number)
    if reader.agent is not None:
        events = events.filter(agent=reader.agent)
    return events.select_related("agent__user", "agent__group", "call").order_by(
        "-created_at", "-pk"
    )


# The states of a signed-in agent, in the order the work record shows them.
SIGNED_IN_STATES = [state for state in Agent.State if state != Agent.State.SIGNED_OUT]


@dataclass(frozen=True)
class StateTotals:
    """Seconds one agent spent in each state, over the work records of a period."""

    agent_number: str
    seconds: dict[str, int]

    @property
    def signed_in(self) -> int:
        return sum(v for state, v in self.seconds.items() if state != Agent.State.SIGNED_OUT)


def work_totals(*, reader: Reader, filters: RecordFilter) -> list[StateTotals]:
    """Per agent, the time in each state the period's work records left (one statement)."""
    rows = (
        work_records(reader=reader, filters=filters)
        .values_list("agent__number", "from_state")
        .annotate(total=Sum("seconds_in_from_state"))
        .order_by("agent__number", "from_state")
    )
    totals: dict[str, dict[str, int]] = {}
    for number, state, seconds in rows:
        totals.setdefault(number, {})[state] = seconds
    return [StateTotals(number, seconds) for number, seconds in totals.items()]


def recording_records(*, reader: Reader, filters: RecordFilter) -> QuerySet[Recording]:
    found = Recording.objects.filter(_period("started_at", filters))
    found = found.filter(_agent_fields("agent__", filters))
    if filters.caller_number:
        found = found.filter(call__caller_number__startswith=filters.caller_number)
    if reader.agent is not None:
        found = found.filter(_may_hear(reader.agent))
    return found.select_related("call", "agent__user", "agent__group").order_by(
        "-started_at", "-pk"
    )


def _may_hear(agent: Agent) -> Q:
    """An agent hears the recordings of the calls they took part in (CALL-4)."""
    return Q(Exists(CallLeg.objects.filter(call=OuterRef("call_id"), agent=agent)))


def recording_for(*, reader: Reader, recording_id: int) -> Recording | None:
    """The recording if the reader may hear it; None whether it is missing or not theirs."""
    found = Recording.objects.filter(pk=recording_id)
    if reader.agent is not None:
        found = found.filter(_may_hear(reader.agent))
    return found.first()


def callback_records(*, reader: Reader, filters: RecordFilter) -> QuerySet[CallbackRequest]:
    """Call-back requests by the time asked: an agent sees the ones given to them and the
    ones still waiting in the queues they serve."""
    found = CallbackRequest.objects.filter(_period("requested_at", filters))
    found = found.filter(_agent_fields("agent__", filters))
    if filters.caller_number:
        found = found.filter(number__startswith=filters.caller_number)
    if reader.agent is not None:
        serves = AgentSkill.objects.filter(agent=reader.agent, skill_id=OuterRef("queue__skill_id"))
        found = found.filter(
            Q(agent=reader.agent) | Q(Exists(serves), status=CallbackRequest.Status.WAITING)
        )
    return found.select_related("queue", "agent__user", "agent__group").order_by(
        "-requested_at", "-pk"
    )
