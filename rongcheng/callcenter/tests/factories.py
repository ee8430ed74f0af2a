"""Agents, skills, queues and the IVR tree for the call-center tests."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Permission

from rongcheng.accounts.models import User
from rongcheng.callcenter import workspace
from rongcheng.callcenter.engine import FakeEngine
from rongcheng.callcenter.models import (
    Agent,
    AgentGroup,
    AgentSkill,
    Call,
    CallbackRequest,
    IvrChoice,
    IvrMenu,
    IvrPrompt,
    Queue,
    Skill,
)
from rongcheng.core.testing.factories import UserFactory

# The instant the call-center tests start from (a Monday, 17:00 in Shanghai), and a time after it.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def make_group(code: str = "hotline") -> AgentGroup:
    return AgentGroup.objects.get_or_create(code=code, defaults={"name": code})[0]


def make_skill(code: str) -> Skill:
    return Skill.objects.get_or_create(code=code, defaults={"name": code})[0]


def make_agent(
    number: str,
    *,
    skills: dict[str, int] | None = None,
    state: str = Agent.State.SIGNED_OUT,
    idle_since: datetime | None = None,
    group: str = "hotline",
    user: User | None = None,
) -> Agent:
    """An agent put straight into `state` (set-up only: the service is what the tests test)."""
    agent = Agent.objects.create(
        user=user or UserFactory(),
        number=number,
        group=make_group(group),
        state=state,
        state_since=idle_since,
        idle_since=idle_since,
    )
    for code, level in (skills or {}).items():
        AgentSkill.objects.create(agent=agent, skill=make_skill(code), level=level)
    return agent


def make_prompt(code: str) -> IvrPrompt:
    """A prompt whose file name is set; the fake engine never opens it."""
    return IvrPrompt.objects.get_or_create(
        code=code, defaults={"text": code, "audio": f"callcenter/ivr/{code}.wav"}
    )[0]


def make_menu(code: str, **fields) -> IvrMenu:
    fields = {"prompt": make_prompt(code), "invalid_prompt": make_prompt("invalid"), **fields}
    return IvrMenu.objects.create(code=code, name=code, **fields)


def entry_menu() -> IvrMenu:
    """The welcome menu: 5 seconds for a key, played again twice, then goodbye."""
    menu = IvrMenu.objects.filter(is_entry=True).first()
    return menu or make_menu("welcome", is_entry=True, failure_prompt=make_prompt("goodbye"))


def make_queue(code: str, *, skill: str, digit: str | None = None, **fields) -> Queue:
    """A queue; with `digit`, the entry menu's key for it."""
    queue = Queue.objects.create(code=code, name=code, skill=make_skill(skill), **fields)
    if digit is not None:
        IvrChoice.objects.create(menu=entry_menu(), digit=digit, queue=queue)
    return queue


def make_waiting_call(
    queue: Queue,
    queued_at: datetime,
    *,
    number: str = "03195550000",
    vip: bool = False,
    far: bool = False,
    engine_id: str | None = None,
) -> Call:
    return Call.objects.create(
        engine_call_id=engine_id or f"{number}-{queued_at:%H%M%S}-{queue.code}",
        direction=Call.Direction.INBOUND,
        caller_number=number,
        callee_number="4008001234",
        is_vip=vip,
        is_long_distance=far,
        queue=queue,
        offered_at=queued_at,
        queued_at=queued_at,
        queue_entered_at=queued_at,
    )


def make_callback(
    queue: Queue,
    requested_at: datetime,
    *,
    number: str,
    status: str = CallbackRequest.Status.WAITING,
    agent: Agent | None = None,
) -> CallbackRequest:
    """A call-back request put straight into `status`; one being called has its call back."""
    call = make_waiting_call(queue, requested_at, number=number)
    calling = status == CallbackRequest.Status.CALLING
    return CallbackRequest.objects.create(
        number=number,
        queue=queue,
        call=call,
        last_call=call if calling else None,
        agent=agent,
        requested_at=requested_at,
        status=status,
        attempts=1 if calling else 0,
    )


def fresh_engine() -> FakeEngine:
    """The workspace's engine, new for this test (the in-process FakeEngine)."""
    workspace._engine_of.cache_clear()
    engine = workspace.engine()
    assert isinstance(engine, FakeEngine)
    return engine


def grant_supervision(user: User) -> User:
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="callcenter", codename="supervise_calls")
    )
    return User.objects.get(pk=user.pk)  # a fresh permission cache


@dataclass
class PumpedEngine(FakeEngine):
    """The lab engine's part in its worker loop: a pump brings no event; commands are
    recorded."""

    pumps: int = 0

    def run_for(self, seconds: float, handle) -> None:
        self.pumps += 1
