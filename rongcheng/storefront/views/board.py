"""留言板 (BOARD-1): published posts by kind with search, and the form to post. Members post
under their account; visitors prove their mobile number with an SMS code first."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rongcheng.accounts.models import SmsCode
from rongcheng.board.models import Post
from rongcheng.board.selectors import published_posts
from rongcheng.board.services import BODY_MAX, board_post
from rongcheng.core.errors import ApplicationError
from rongcheng.storefront.views.codes import is_send_code, sms_sender

FIELDS = ("kind", "body", "nickname", "mobile", "code")


def board(request):
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "")[:50]
    return render(
        request,
        "community/board.html",
        {
            "kinds": Post.Kind.choices,
            "kind": kind,
            "query": query,
            "page": published_posts(kind=kind, query=query, page=request.GET.get("page", "1")),
        },
    )


def board_new(request):
    values = {name: request.POST.get(name, "")[:BODY_MAX] for name in FIELDS}
    values["kind"] = values["kind"] or request.GET.get("kind", Post.Kind.MESSAGE)
    if is_send_code(request):
        try:
            notice = sms_sender(
                request, purpose=SmsCode.Purpose.BOARD_POST, mobile=values["mobile"]
            )()
            messages.success(request, notice)
        except ApplicationError as error:
            messages.error(request, str(error.message))
    elif request.method == "POST":
        try:
            board_post(
                kind=values["kind"],
                body=values["body"],
                author=request.user if request.user.is_authenticated else None,
                nickname=values["nickname"],
                mobile=values["mobile"],
                code=values["code"],
            )
            messages.success(request, _("已提交，客服审核后发布。感谢您的反馈！"))
            return redirect("storefront:board")
        except ApplicationError as error:
            messages.error(request, str(error.message))
    return render(
        request,
        "community/board_new.html",
        {"kinds": Post.Kind.choices, "values": values, "body_max": BODY_MAX},
    )
