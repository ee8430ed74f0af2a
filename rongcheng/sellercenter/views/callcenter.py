"""The call center in the browser (CALL-5, CALL-8): the agent workspace with its soft phone and
screen pop, and the supervisors' wallboard. Agents only (anyone else gets 404); the wallboard and
its commands are for supervisors only (403). The pages refresh their parts over /ws/callcenter/."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.callcenter import callbacks, lab_proxy, supervision, workspace
from rongcheng.callcenter.engine import EavesdropMode
from rongcheng.callcenter.errors import NoCallInProgress, NotAnAgent, NotASupervisor
from rongcheng.callcenter.models import Agent, Call
from rongcheng.callcenter.screen_pop import member_create_for_call, screen_pop
from rongcheng.callcenter.wallboard import floor_agents, seconds_since, wallboard
from rongcheng.core.errors import ApplicationError

A = Agent.State
SUPERVISOR_ACTIONS = ("listen", "whisper", "barge", "force_hang_up")
PARTS = {"panel": "_panel.html", "floor": "_floor.html"}


def _agent(request) -> Agent:
    try:
        return workspace.agent_of(request.user)
    except NotAnAgent as refusal:
        raise Http404(refusal.message) from refusal


@login_required
def agent_workspace(request):
    agent = _agent(request)
    part = request.GET.get("part", "")
    if part == "callbacks":
        # Refreshed on every call-back push: only what this part shows.
        context = {"agent": agent, "callbacks": callbacks.for_agent(agent)}
        return render(request, "sellercenter/callcenter/_callbacks.html", context)
    now = timezone.now()
    leg = workspace.current_leg(agent)
    floor = floor_agents(now)
    context = {
        "agent": agent,
        "pop": screen_pop(leg.call) if leg is not None else None,
        "held": leg is not None and leg.call.held_at is not None,
        "floor": floor,
        "colleagues": [
            f.agent for f in floor if f.agent.pk != agent.pk and f.agent.state == A.IDLE
        ],
        # Seconds left, not an instant: the browser's clock may differ from the server's.
        "wrap_up_left": (
            max(0, settings.CALLCENTER_WRAP_UP_SECONDS - seconds_since(agent.state_since, now))
            if agent.state == A.WRAP_UP
            else None
        ),
        "engine_connected": workspace.engine_connected(),
        "lab_installed": lab_proxy.installed(),
        "sip_ws_url": settings.CALLCENTER_SIP_WS_URL,
        "sip_domain": settings.CALLCENTER_SIP_DOMAIN,
        "dial": request.GET.get("dial", "")[:20],
        "section": "workspace",
    }
    if part in PARTS:
        return render(request, f"sellercenter/callcenter/{PARTS[part]}", context)
    context["callbacks"] = callbacks.for_agent(agent)
    return render(request, "sellercenter/callcenter/workspace.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _done(request, to: str):
    if _wants_json(request):
        return HttpResponse(status=204)
    return redirect(to)


def _refused(request, refusal: ApplicationError, to: str):
    if _wants_json(request):
        return JsonResponse(refusal.as_dict(), status=refusal.status)
    messages.error(request, refusal.message)
    return redirect(to)


# The steps on the agent's own call in progress; the engine reports what follows.
CALL_STEPS = {
    "answer": workspace.answer,
    "reject": workspace.reject,
    "hang_up": workspace.hang_up,
    "hold": workspace.hold,
    "resume": workspace.resume,
}
CHOSEN_STATES = {"busy": A.BUSY, "leave": A.LEAVE, "sign_out": A.SIGNED_OUT}


def _agent_act(agent: Agent, action: str, post, now) -> None:
    if action in CALL_STEPS:
        CALL_STEPS[action](agent)
    elif action in CHOSEN_STATES:
        workspace.choose_state(agent, to=CHOSEN_STATES[action], now=now)
    elif action == "ready":
        workspace.ready(agent, now=now)
    elif action == "auto_answer":
        workspace.set_auto_answer(agent, on=post.get("on") == "1")
    elif action == "transfer":
        workspace.transfer(agent, to_number=post.get("to", ""), now=now)
    elif action == "call_out":
        workspace.call_out(agent, number=post.get("number", ""), now=now)
    elif action == "register_caller":
        leg = workspace.current_leg(agent)
        if leg is None:
            raise NoCallInProgress(_("您当前没有通话。"))
        member_create_for_call(leg.call, real_name=post.get("real_name", "").strip()[:50])


# Each workspace action has its own address (callcenter:<action>).
AGENT_ACTIONS = (
    *CALL_STEPS,
    *CHOSEN_STATES,
    "ready",
    "auto_answer",
    "transfer",
    "call_out",
    "register_caller",
)


@login_required
@require_POST
def agent_action(request, action: str):
    agent = _agent(request)
    back = "callcenter:workspace"
    try:
        _agent_act(agent, action, request.POST, timezone.now())
    except ApplicationError as refusal:
        return _refused(request, refusal, back)
    return _done(request, back)


def _supervisor(request) -> None:
    try:
        supervision.require_supervisor(request.user)
    except NotASupervisor as refusal:
        raise PermissionDenied(refusal.message) from refusal


@login_required
def supervisor_wallboard(request):
    _supervisor(request)
    part = "_board.html" if request.GET.get("part") == "board" else "wallboard.html"
    context = {
        "board": wallboard(timezone.now()),
        "waiting_calls": Call.Outcome.WAITING,
        "section": "wallboard",
        "agent": Agent.objects.filter(user_id=request.user.pk).first(),
    }
    return render(request, f"sellercenter/callcenter/{part}", context)


@login_required
@require_POST
def supervisor_action(request, action: str):
    _supervisor(request)
    back = "callcenter:wallboard"
    number = request.POST.get("agent", "")[:8]
    try:
        if action == "force_hang_up":
            supervision.force_hang_up(request.user, agent_number=number)
        else:
            supervision.eavesdrop(request.user, agent_number=number, mode=EavesdropMode(action))
    except ApplicationError as refusal:
        return _refused(request, refusal, back)
    if not _wants_json(request):
        messages.success(request, _("已向电话引擎发出指令。"))
    return _done(request, back)
