"""消息中心 (MSG-1): the member's inbox, sent letters and system notices; writing to another
member, a store or the platform (complaints and suggestions); a letter and its answers; the
header's unread count (asked by script, so cached anonymous pages never hold it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.messaging import letters
from rongcheng.messaging.models import Letter
from rongcheng.storefront.message_forms import LetterForm, ReplyForm

PER_PAGE = 20
BOXES = {
    "inbox": gettext_lazy("收件箱"),
    "sent": gettext_lazy("已发送"),
    "notices": gettext_lazy("系统通知"),
}


def _page_number(request) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 6 else 1


@login_required
def message_center(request):
    box = request.GET.get("box", "inbox")
    if box not in BOXES:
        box = "inbox"
    if box == "notices":
        rows = letters.member_notices(member=request.user)
    elif box == "sent":
        rows = letters.member_sent(member=request.user)
    else:
        rows = letters.member_inbox(member=request.user)
    page = Paginator(rows, PER_PAGE).get_page(_page_number(request))
    if box == "notices":
        letters.notices_mark_all_read(member=request.user)
    return render(
        request,
        "messages/center.html",
        {"section": "messages", "boxes": BOXES, "box": box, "page": page},
    )


@login_required
def letter_detail(request, letter_id: int):
    letter = letters.letter_mark_read(user=request.user, letter_id=letter_id)
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                letters.letter_reply(
                    user=request.user, letter_id=letter.pk, body=form.cleaned_data["body"]
                )
            except ApplicationError as refusal:
                form.add_error(None, str(refusal.message))
            else:
                messages.success(request, _("回复已发送。"))
                return redirect("storefront:member_letter", letter.pk)
    may_reply = (
        letter.recipient_id == request.user.pk
        and letter.sender_party != Letter.Party.SYSTEM
        and letter.kind != Letter.Kind.CHAT
    )
    return render(
        request,
        "messages/letter.html",
        {
            "section": "messages",
            "letter": letter,
            "replies": letter.replies.select_related("sender").order_by("created_at"),
            "form": form if may_reply else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_write(request):
    initial = {"to": request.GET.get("to", ""), "kind": request.GET.get("kind", "message")}
    form = LetterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "message":
                letter = letters.letter_send(
                    sender=request.user,
                    to_username=data["to"],
                    subject=data["subject"],
                    body=data["body"],
                )
            else:
                letter = letters.letter_to_platform(
                    sender=request.user,
                    kind=data["kind"],
                    subject=data["subject"],
                    body=data["body"],
                )
        except ApplicationError as refusal:
            form.add_error(refusal.field or None, str(refusal.message))
        else:
            messages.success(request, _("已发送。"))
            return redirect("storefront:member_letter", letter.pk)
    return render(request, "messages/write.html", {"section": "messages", "form": form})


@never_cache
def unread(request):
    """The header's count; anonymous visitors get 0 (the script asks for members only)."""
    count = letters.unread_count(member=request.user) if request.user.is_authenticated else 0
    return JsonResponse({"unread": count})


@login_required
@require_POST
def notices_read(request):
    letters.notices_mark_all_read(member=request.user)
    return redirect("storefront:member_messages")
