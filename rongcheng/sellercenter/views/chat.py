"""在线客服工作台 (IM-1): the waiting list, the agent's own and the team's open conversations,
history; taking, transferring, closing; canned replies; the customer's profile and recent
orders beside the chat. One workspace serves a store's staff (/seller/<store>/chat/) and the
platform's agents (/service/): a `Desk` says which team and which addresses."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.messaging import services
from rongcheng.messaging.access import access_conversation
from rongcheng.messaging.errors import ConversationNotFound
from rongcheng.messaging.models import Conversation
from rongcheng.messaging.selectors import (
    agent_accepting,
    canned_replies,
    conversation_messages,
    customer_recent_orders,
    message_payload,
    team_conversations,
    team_counts,
)
from rongcheng.messaging.teams import CHAT_ROLES, is_agent, team_agents
from rongcheng.sellercenter.staff import Workplace, load_store
from rongcheng.sellercenter.views.common import page_number

PER_PAGE = 30
# What an agent does to one conversation; each has its own address (chat_<action>).
CONVERSATION_ACTIONS = ("take", "transfer", "close", "send")
TABS = {
    "waiting": gettext_lazy("等待接入"),
    "mine": gettext_lazy("我的会话"),
    "open": gettext_lazy("全部接待中"),
    "closed": gettext_lazy("历史会话"),
}


@dataclass(frozen=True)
class Desk:
    """The team a workspace answers for: a store (with its seller-center layout) or the
    platform (store_id None)."""

    store_id: int | None
    workplace: Workplace | None

    def url(self, name: str, *args: object) -> str:
        if self.store_id is None:
            return reverse(f"service:{name}", args=args)
        return reverse(f"sellercenter:{name}", args=(self.store_id, *args))


def _desk(request, store_id: int | None) -> Desk:
    if store_id is None:
        if not is_agent(user=request.user, store_id=None):
            raise PermissionDenied
        return Desk(None, None)
    return Desk(store_id, load_store(request, store_id, roles=CHAT_ROLES))


def _team_conversation(request, desk: Desk, conversation_id: int) -> Conversation:
    """A conversation of this desk's team (a participant of another team gets 404)."""
    seat = access_conversation(user=request.user, conversation_id=conversation_id)
    conversation = seat.conversation
    if not seat.is_agent or conversation.store_id != desk.store_id:
        raise ConversationNotFound(_("没有这个会话。"))
    return conversation


def _workspace(request, desk: Desk):
    tab = request.GET.get("tab", "mine")
    if tab not in TABS:
        tab = "mine"
    rows = team_conversations(store_id=desk.store_id, agent=request.user, tab=tab)
    page = Paginator(rows, PER_PAGE).get_page(page_number(request))
    chosen = request.GET.get("c", "")
    conversation = (
        _team_conversation(request, desk, int(chosen))
        if chosen.isdigit() and len(chosen) < 10
        else None
    )
    context = {
        "desk": desk,
        "workplace": desk.workplace,
        "section": "chat",
        "tabs": TABS,
        "tab": tab,
        "page": page,
        "counts": team_counts(store_id=desk.store_id, agent=request.user),
        "accepting": agent_accepting(agent=request.user, store_id=desk.store_id),
        "team_socket": "/ws/chat/team/"
        + (str(desk.store_id) if desk.store_id is not None else "platform")
        + "/",
        "conversation": conversation,
        # Listed with or without an open chat: an agent manages them from the side panel.
        "canned": canned_replies(store_id=desk.store_id),
    }
    if conversation is not None:
        history = conversation_messages(conversation=conversation)
        if history:
            services.conversation_read(
                user=request.user, conversation_id=conversation.pk, up_to=history[-1]["id"]
            )
        context |= {
            "history": history,
            "colleagues": team_agents(store_id=desk.store_id).exclude(pk=request.user.pk),
            "orders": customer_recent_orders(conversation=conversation),
        }
    layout = "sellercenter/base.html" if desk.store_id else "sellercenter/service_base.html"
    return render(request, "sellercenter/chat.html", context | {"layout": layout})


@login_required
def store_workspace(request, store_id: int):
    return _workspace(request, _desk(request, store_id))


@login_required
def platform_workspace(request):
    return _workspace(request, _desk(request, None))


def _back(desk: Desk, conversation_id: int | None = None, tab: str = "mine"):
    url = desk.url("chat") + f"?tab={tab}"
    return redirect(url + (f"&c={conversation_id}" if conversation_id else ""))


def _act(request, store_id: int | None, action: str, conversation_id: int | None = None):
    desk = _desk(request, store_id)
    user = request.user
    try:
        if action == "seat":
            services.seat_set(
                agent=user, store_id=desk.store_id, accepting=request.POST.get("accepting") == "1"
            )
        elif action == "canned":
            reply_id = request.POST.get("reply", "")
            if request.POST.get("delete") == "1" and reply_id.isdigit():
                services.canned_reply_delete(
                    agent=user, store_id=desk.store_id, reply_id=int(reply_id)
                )
            else:
                services.canned_reply_save(
                    agent=user,
                    store_id=desk.store_id,
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                )
        else:
            assert conversation_id is not None
            _team_conversation(request, desk, conversation_id)
            if action == "take":
                services.conversation_take(agent=user, conversation_id=conversation_id)
            elif action == "transfer":
                to = request.POST.get("to", "")
                services.conversation_transfer(
                    agent=user,
                    conversation_id=conversation_id,
                    to_user_id=int(to) if to.isdigit() and len(to) < 10 else 0,
                )
                messages.success(request, _("已转接。"))
                return _back(desk)
            elif action == "close":
                services.conversation_close(user=user, conversation_id=conversation_id)
            elif action == "send":
                message = services.message_send(
                    sender=user,
                    conversation_id=conversation_id,
                    body=request.POST.get("body", ""),
                    image=request.FILES.get("image"),
                )
                if "application/json" in request.headers.get("Accept", ""):
                    return JsonResponse(message_payload(message, message.conversation))
    except ApplicationError as refusal:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(refusal.as_dict(), status=refusal.status)
        messages.error(request, refusal.message)
    return _back(desk, conversation_id)


@login_required
@require_POST
def store_action(request, store_id: int, action: str, conversation_id: int | None = None):
    return _act(request, store_id, action, conversation_id)


@login_required
@require_POST
def platform_action(request, action: str, conversation_id: int | None = None):
    return _act(request, None, action, conversation_id)
