"""Product questions (ROLE-1 在线提问): a member asks on the product page; the stores that sell
the product, customer service and buyers who bought it answer. The asker is told and the
product page, which shows answered questions, is purged."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.catalog.models import Product
from rongcheng.notifications.models import Notice
from rongcheng.notifications.services import notices_send
from rongcheng.questions.errors import (
    AnswerNotAllowed,
    QuestionInvalid,
    QuestionNotFound,
    QuestionProductUnavailable,
)
from rongcheng.questions.models import Answer, Question
from rongcheng.questions.selectors import answerer_role
from rongcheng.seo.purge import purge_products

QUESTION_MAX = 200
ANSWER_MAX = 500


def _text(body: str, limit: int) -> str:
    body = body.strip()
    if not body or len(body) > limit:
        raise QuestionInvalid(_("内容须为 1–%(n)s 个字。") % {"n": limit}, field="body")
    return body


def question_ask(*, asker: User, product_id: int, body: str) -> Question:
    body = _text(body, QUESTION_MAX)
    if not Product.objects.filter(id=product_id, is_active=True).exists():
        raise QuestionProductUnavailable(_("该商品已下架，不能提问。"))
    with transaction.atomic():
        return Question.objects.create(product_id=product_id, asker=asker, body=body)


def answer_add(*, author: User, question_id: int, body: str) -> Answer:
    """Answer a visible question. Refused, with nothing written, for anyone who is not staff of
    a store selling the product, customer service, or a buyer who bought it."""
    body = _text(body, ANSWER_MAX)
    with transaction.atomic():
        question = (
            Question.objects.select_for_update()
            .select_related("product")
            .filter(id=question_id, is_hidden=False)
            .first()
        )
        if question is None:
            raise QuestionNotFound(_("没有这个提问。"))
        role, store_id = answerer_role(user=author, product_id=question.product_id)
        if role is None:
            raise AnswerNotAllowed(_("只有销售该商品的门店、平台客服和购买过的买家可以回答。"))
        answer = Answer.objects.create(
            question=question, author=author, role=role, store_id=store_id, body=body
        )
        if question.answered_at is None:
            Question.objects.filter(id=question.id).update(answered_at=timezone.now())
        purge_products(product_ids=[question.product_id])
        if author.pk != question.asker_id:
            notices_send(
                recipient_ids=[question.asker_id],
                kind=Notice.Kind.QUESTION_ANSWERED,
                title=_("您对“%(name)s”的提问有了新回答") % {"name": question.product.name},
                body=body[:200],
                reference=str(question.product_id),
            )
        return answer


def question_set_hidden(*, question_id: int, hidden: bool) -> Question:
    """Customer service hides a question (and its answers) or shows it again."""
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(id=question_id).first()
        if question is None:
            raise QuestionNotFound(_("没有这个提问。"))
        question.is_hidden = hidden
        question.save(update_fields=["is_hidden", "updated_at"])
        purge_products(product_ids=[question.product_id])
        return question
