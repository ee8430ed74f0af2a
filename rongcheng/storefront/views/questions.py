"""商品咨询 (ROLE-1 在线提问): all questions on a product with their answers, the form to
ask (members), and the answer form for those who may answer (the stores that sell it,
customer service, buyers who bought it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.catalog.models import Product
from rongcheng.core.errors import ApplicationError
from rongcheng.questions.selectors import answerer_role, member_questions, product_questions
from rongcheng.questions.services import ANSWER_MAX, QUESTION_MAX, answer_add, question_ask


def product_questions_page(request, product_id: int):
    product = get_object_or_404(Product, id=product_id)
    role, _store = answerer_role(user=request.user, product_id=product_id)
    return render(
        request,
        "community/questions.html",
        {
            "product": product,
            "page": product_questions(product_id=product_id, page=request.GET.get("page", "1")),
            "may_answer": role is not None,
            "question_max": QUESTION_MAX,
            "answer_max": ANSWER_MAX,
        },
    )


@login_required
@require_POST
def question_ask_view(request, product_id: int):
    try:
        question_ask(asker=request.user, product_id=product_id, body=request.POST.get("body", ""))
        messages.success(request, _("提问已提交，有回答时会通知您。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("storefront:product_questions", product_id=product_id)


@login_required
@require_POST
def answer_view(request, product_id: int, question_id: int):
    try:
        answer_add(author=request.user, question_id=question_id, body=request.POST.get("body", ""))
        messages.success(request, _("回答已发布。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("storefront:product_questions", product_id=product_id)


@login_required
def my_questions(request):
    page = member_questions(asker=request.user, page=request.GET.get("page", "1"))
    return render(request, "member/questions.html", {"section": "questions", "page": page})
