"""商品咨询 in the seller center: questions on the goods the store lists, the unanswered
first if asked, and the store's answer. Another store's questions are not reachable."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.questions.errors import QuestionNotFound
from rongcheng.questions.selectors import store_questions
from rongcheng.questions.services import ANSWER_MAX, answer_add
from rongcheng.sellercenter.staff import load_store
from rongcheng.sellercenter.views.common import page_number


@login_required
def question_list(request, store_id: int):
    workplace = load_store(request, store_id)
    unanswered = request.GET.get("state") == "unanswered"
    page = store_questions(
        actor=request.user,
        store_id=workplace.store.pk,
        unanswered=unanswered,
        page=page_number(request),
    )
    return render(
        request,
        "sellercenter/questions.html",
        {
            "workplace": workplace,
            "section": "questions",
            "page": page,
            "unanswered": unanswered,
            "query": "state=unanswered" if unanswered else "",
            "answer_max": ANSWER_MAX,
        },
    )


@login_required
@require_POST
def question_answer(request, store_id: int, question_id: int):
    workplace = load_store(request, store_id)
    # Only questions on this store's goods: the same selector as the list decides.
    listed = store_questions(actor=request.user, store_id=workplace.store.pk).paginator.object_list
    try:
        if not listed.filter(id=question_id).exists():
            raise QuestionNotFound(_("没有这个提问。"))
        answer_add(author=request.user, question_id=question_id, body=request.POST.get("body", ""))
        messages.success(request, _("回答已发布，提问的顾客会收到通知。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("sellercenter:questions", store_id=workplace.store.pk)
