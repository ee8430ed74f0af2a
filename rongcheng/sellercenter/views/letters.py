"""站内信 of a store's mailbox (SELL-1) and of the platform's (complaints and suggestions,
MSG-1): the letters, one letter with its answers, and the answer form. A store's staff see
only their store's mailbox; the platform's only its agents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongcheng.core.errors import ApplicationError
from rongcheng.messaging import letters
from rongcheng.messaging.models import Letter
from rongcheng.messaging.teams import CHAT_ROLES, is_agent
from rongcheng.sellercenter.staff import load_store
from rongcheng.sellercenter.views.common import page_number

PER_PAGE = 20
PLATFORM_KINDS = {
    "": gettext_lazy("全部"),
    "complaint": gettext_lazy("投诉"),
    "suggestion": gettext_lazy("建议"),
    "message": gettext_lazy("站内信"),
}


def _letter_page(request, letter: Letter, context: dict, back: str):
    if request.method == "POST":
        try:
            letters.letter_reply(
                user=request.user, letter_id=letter.pk, body=request.POST.get("body", "")
            )
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("回复已发送。"))
            return redirect(back)
    replies = letter.replies.select_related("sender").order_by("created_at")
    return render(
        request, "sellercenter/letter.html", context | {"letter": letter, "replies": replies}
    )


@login_required
def store_letters(request, store_id: int):
    workplace = load_store(request, store_id, roles=CHAT_ROLES)
    box = "sent" if request.GET.get("box") == "sent" else "inbox"
    rows = (letters.store_sent if box == "sent" else letters.store_inbox)(store_id=store_id)
    page = Paginator(rows, PER_PAGE).get_page(page_number(request))
    return render(
        request,
        "sellercenter/letters.html",
        {"workplace": workplace, "section": "letters", "page": page, "box": box, "kind": ""},
    )


@login_required
def store_letter(request, store_id: int, letter_id: int):
    workplace = load_store(request, store_id, roles=CHAT_ROLES)
    letter = letters.letter_mark_read(user=request.user, letter_id=letter_id)
    if store_id not in (letter.recipient_store_id, letter.sender_store_id):
        raise Http404
    context = {
        "workplace": workplace,
        "section": "letters",
        "may_reply": letter.recipient_store_id == store_id,
    }
    return _letter_page(request, letter, context, request.path)


def _require_platform_agent(request) -> None:
    if not is_agent(user=request.user, store_id=None):
        raise PermissionDenied


@login_required
def platform_letters(request):
    _require_platform_agent(request)
    kind = request.GET.get("kind", "")
    if kind not in PLATFORM_KINDS:
        kind = ""
    page = Paginator(letters.platform_inbox(kind=kind), PER_PAGE).get_page(page_number(request))
    return render(
        request,
        "sellercenter/letters.html",
        {
            "workplace": None,
            "layout": "sellercenter/service_base.html",
            "section": "letters",
            "page": page,
            "box": "inbox",
            "kinds": PLATFORM_KINDS,
            "kind": kind,
        },
    )


@login_required
def platform_letter(request, letter_id: int):
    _require_platform_agent(request)
    letter = letters.letter_mark_read(user=request.user, letter_id=letter_id)
    if Letter.Party.PLATFORM not in (letter.recipient_party, letter.sender_party):
        raise Http404
    context = {
        "workplace": None,
        "layout": "sellercenter/service_base.html",
        "section": "letters",
        "may_reply": letter.recipient_party == Letter.Party.PLATFORM,
    }
    return _letter_page(request, letter, context, request.path)
