"""Supervisors on the wallboard (CALL-5): listen in, whisper, barge in, force hang-up.

The supervisor's own phone is rung (their agent number) and the engine attaches it to the
agent's leg in the chosen mode; a forced hang-up ends the caller's channel, and `cti` closes the
call when the engine reports it.
"""

import uuid

from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.callcenter.engine import EavesdropMode
from rongcheng.callcenter.errors import NoCallInProgress, NotAnAgent, NotASupervisor
from rongcheng.callcenter.models import Agent, CallLeg
from rongcheng.callcenter.workspace import engine

SUPERVISE = "callcenter.supervise_calls"
# The cause FreeSWITCH gives a channel killed by an operator.
FORCED_CAUSE = "MANAGER_REQUEST"


def require_supervisor(user: User) -> None:
    if not (user.is_active and user.has_perm(SUPERVISE)):
        raise NotASupervisor(_("只有班长可以监控话务。"))


def _talking_leg(agent_number: str) -> CallLeg:
    leg = (
        CallLeg.objects.select_related("call")
        .filter(agent__number=agent_number, ended_at=None, answered_at__isnull=False)
        .first()
    )
    if leg is None:
        raise NoCallInProgress(_("坐席 %(number)s 当前没有通话。") % {"number": agent_number})
    return leg


def eavesdrop(supervisor: User, *, agent_number: str, mode: EavesdropMode) -> str:
    """Ring the supervisor's phone and join it to the agent's call; returns its channel."""
    require_supervisor(supervisor)
    own = Agent.objects.filter(user_id=supervisor.pk).first()
    if own is None:
        raise NotAnAgent(_("监听需要您本人的坐席工号（话机）。"))
    leg = _talking_leg(agent_number)
    channel = str(uuid.uuid4())
    telephony = engine()
    telephony.originate(
        channel, destination=f"agent/{own.number}", caller_number=leg.call.caller_number
    )
    telephony.eavesdrop(channel, target=leg.engine_leg_id, mode=mode)
    return channel


def force_hang_up(supervisor: User, *, agent_number: str) -> None:
    require_supervisor(supervisor)
    leg = _talking_leg(agent_number)
    engine().hang_up(leg.call.engine_call_id, cause=FORCED_CAUSE)
