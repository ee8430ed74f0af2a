"""The agent workspace's actions (CALL-8): what an agent does from the browser.

Every state change goes through `state.transition` or `cti`; engine commands are sent after the
transaction commits. Answering, rejecting and hanging up are commands to the engine: the state
changes when the engine reports the event back to `cti`, exactly as when the agent uses the
phone itself.
"""

import functools
import re
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.callcenter import cti, outbound, state
from rongcheng.callcenter.engine import TelephonyEngine
from rongcheng.callcenter.errors import (
    AgentStateInvalid,
    NoCallInProgress,
    NotAnAgent,
    NumberInvalid,
)
from rongcheng.callcenter.models import Agent, Call, CallLeg

A = Agent.State
IN_PROCESS_ENGINE = "rongcheng.callcenter.engine.FakeEngine"
# What an agent may put themself into by choice; the others follow calls.
CHOSEN_STATES = frozenset({A.BUSY, A.LEAVE, A.SIGNED_OUT})
DIALLABLE = re.compile(r"^\+?\d{3,20}$")


@functools.cache
def _engine_of(path: str) -> TelephonyEngine:
    return import_string(path or IN_PROCESS_ENGINE)()


def engine() -> TelephonyEngine:
    """The configured engine, one per process; without one, the in-process engine, which
    records the commands and connects no call."""
    return _engine_of(settings.CALLCENTER_ENGINE)


def engine_connected() -> bool:
    return bool(settings.CALLCENTER_ENGINE)


def agent_of(user: User) -> Agent:
    agent = Agent.objects.select_related("user", "group").filter(user_id=user.pk).first()
    if agent is None or not user.is_active:
        raise NotAnAgent(_("您不是呼叫中心的坐席。"))
    return agent


def current_leg(agent: Agent) -> CallLeg | None:
    """The agent's call in progress: ringing or in conversation."""
    return (
        CallLeg.objects.select_related("call__caller", "call__queue")
        .filter(agent=agent, ended_at=None)
        .order_by("-offered_at", "-id")
        .first()
    )


def _leg(agent: Agent, *, answered: bool) -> CallLeg:
    leg = current_leg(agent)
    if leg is None or (leg.answered_at is not None) != answered:
        raise NoCallInProgress(_("您当前没有通话。") if answered else _("您当前没有振铃的来电。"))
    return leg


def ready(agent: Agent, *, now: datetime) -> None:
    """Sign in, or end wrap-up, busy or leave: idle, offered the waiting calls at once."""
    cti.agent_ready(agent, engine=engine(), now=now)


def choose_state(agent: Agent, *, to: str, now: datetime) -> Agent:
    """Busy, temporary leave or signed out, from a state that allows it."""
    if to not in CHOSEN_STATES:
        raise AgentStateInvalid(_("不能选择这个状态。"))
    return state.transition(agent, to=to, reason=_("坐席操作"), now=now)


def set_auto_answer(agent: Agent, *, on: bool) -> None:
    Agent.objects.filter(pk=agent.pk).update(auto_answer=on)
    agent.auto_answer = on


def answer(agent: Agent) -> None:
    engine().answer(_leg(agent, answered=False).engine_leg_id)


def reject(agent: Agent) -> None:
    engine().hang_up(_leg(agent, answered=False).engine_leg_id, cause="CALL_REJECTED")


def hang_up(agent: Agent) -> None:
    engine().hang_up(_leg(agent, answered=True).engine_leg_id)


def hold(agent: Agent) -> None:
    """The caller hears hold music; `resume` bridges them back to the agent. The call keeps
    when it was held, so the workspace shows it after a page reload."""
    call = _leg(agent, answered=True).call
    Call.objects.filter(pk=call.pk, held_at=None).update(held_at=timezone.now())
    engine().hold(call.engine_call_id)


def resume(agent: Agent) -> None:
    leg = _leg(agent, answered=True)
    Call.objects.filter(pk=leg.call_id).update(held_at=None)
    engine().bridge(leg.call.engine_call_id, leg.engine_leg_id)


def transfer(agent: Agent, *, to_number: str, now: datetime) -> CallLeg:
    """Hand the agent's own call to a named agent (who must be idle)."""
    leg = _leg(agent, answered=True)
    target = Agent.objects.filter(number=to_number).exclude(pk=agent.pk).first()
    if target is None:
        raise AgentStateInvalid(_("没有工号为 %(number)s 的其他坐席。") % {"number": to_number})
    return cti.transfer(leg.call, to=target, engine=engine(), now=now)


def call_out(agent: Agent, *, number: str, now: datetime) -> Call:
    """Click to call (`outbound.call_out`)."""
    number = number.strip().replace(" ", "").replace("-", "")
    if not DIALLABLE.match(number):
        raise NumberInvalid(_("请输入正确的电话号码。"), field="number")
    return outbound.call_out(agent, number=number, engine=engine(), now=now, reason=_("外呼"))
