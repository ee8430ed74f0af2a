"""商品咨询 for the app and the mini-program: a product's questions (public), asking, answering
(the stores that sell it, customer service, buyers who bought it) and the member's own."""

from datetime import datetime

from django.core.paginator import Page
from ninja import Field, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import NOT_BLANK, BodyIn, Id, errors
from rongcheng.questions.models import Answer, Question
from rongcheng.questions.selectors import member_questions, product_questions
from rongcheng.questions.services import ANSWER_MAX, QUESTION_MAX, answer_add, question_ask

router = Router(tags=["questions"])


class AnswerOut(Schema):
    id: int
    role: str = Field(description="store 门店 / staff 平台客服 / buyer 已购买的买家")
    store_name: str
    body: str
    created_at: datetime


class QuestionOut(Schema):
    id: int
    product_id: int
    body: str
    asker: str = Field(description="提问者（已打码）")
    answered: bool
    created_at: datetime
    answers: list[AnswerOut]


class QuestionPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[QuestionOut]


class QuestionPageQuery(Schema):
    page: int = Field(1, ge=1)


class QuestionIn(BodyIn):
    body: str = Field(max_length=QUESTION_MAX, pattern=NOT_BLANK)


class AnswerIn(BodyIn):
    body: str = Field(max_length=ANSWER_MAX, pattern=NOT_BLANK)


def _answer(answer: Answer) -> dict:
    return {
        "id": answer.id,
        "role": answer.role,
        "store_name": answer.store.name if answer.store else "",
        "body": answer.body,
        "created_at": answer.created_at,
    }


def _question(question: Question) -> dict:
    return {
        "id": question.id,
        "product_id": question.product_id,
        "body": question.body,
        "asker": question.asker.display_name[:1] + "**",
        "answered": question.answered_at is not None,
        "created_at": question.created_at,
        "answers": [_answer(answer) for answer in question.answers.all()],
    }


def _page(page: Page) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_question(question) for question in page.object_list],
    }


@router.get("/products/{product_id}", response=QuestionPageOut, summary="商品的咨询（最新在前）")
def question_list(request, product_id: Id, query: Query[QuestionPageQuery]):
    return _page(product_questions(product_id=product_id, page=query.page))


@router.post(
    "/products/{product_id}",
    response={201: QuestionOut, **errors(404)},
    auth=member_auth,
    summary="向商品提问",
)
def question_create(request, product_id: Id, payload: QuestionIn):
    """404 `question_product_unavailable`: no such product on sale."""
    question = question_ask(asker=request.user, product_id=product_id, body=payload.body)
    return Status(201, _question(question))


@router.post(
    "/{question_id}/answers",
    response={201: AnswerOut, **errors(403, 404)},
    auth=member_auth,
    summary="回答咨询（销售该商品的门店、平台客服、购买过的买家）",
)
def answer_create(request, question_id: Id, payload: AnswerIn):
    """403 `answer_not_allowed`: neither staff of a store selling it, customer service, nor a
    buyer who paid for it. 404 `question_not_found`."""
    answer = answer_add(author=request.user, question_id=question_id, body=payload.body)
    return Status(201, _answer(answer))


@router.get("/mine", response=QuestionPageOut, auth=member_auth, summary="我的提问")
def my_questions(request, query: Query[QuestionPageQuery]):
    return _page(member_questions(asker=request.user, page=query.page))
