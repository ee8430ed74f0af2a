"""Reading product questions: the product page's answered ones, the questions page, a
member's own, and a store's (products it lists) for its staff; who may answer."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from rongcheng.accounts.models import User
from rongcheng.core.sql import Statement, every_column, instance
from rongcheng.inventory.models import StoreListing
from rongcheng.orders.models import Order, OrderLine
from rongcheng.questions.models import Answer, Question
from rongcheng.stores.access import access_store
from rongcheng.stores.models import StoreMembership

PER_PAGE = 20
ON_PRODUCT_PAGE = 5
# Orders whose buyer has paid for the goods: their buyers may answer questions on them.
BOUGHT = (
    Order.Status.PAID,
    Order.Status.SHIPPED,
    Order.Status.RECEIVED,
    Order.Status.COMPLETED,
)
ANSWER_PERMISSION = "questions.answer_question"


def answerer_role(*, user: User, product_id: int) -> tuple[str | None, int | None]:
    """As whom `user` may answer questions on the product, and for which store: staff of an
    open store that lists it, customer service, or a buyer who paid for it; (None, None) for
    anyone else."""
    if not (user.is_authenticated and user.is_active):
        return None, None
    store_id = (
        StoreMembership.objects.filter(
            user=user,
            is_active=True,
            store__is_active=True,
            store__listings__product_id=product_id,
            store__listings__is_listed=True,
        )
        .order_by("store_id")
        .values_list("store_id", flat=True)
        .first()
    )
    if store_id is not None:
        return Answer.Role.STORE, store_id
    if user.has_perm(ANSWER_PERMISSION):
        return Answer.Role.STAFF, None
    bought = OrderLine.objects.filter(
        product_id=product_id, order__buyer=user, order__status__in=BOUGHT
    ).exists()
    return (Answer.Role.BUYER, None) if bought else (None, None)


def _answers() -> Prefetch:
    return Prefetch("answers", Answer.objects.select_related("author", "store"))


def _with_answers(questions: QuerySet[Question]) -> QuerySet[Question]:
    return questions.select_related("asker").prefetch_related(_answers())


# Every first visit of a product page reads its answered questions, most often none: SQL
# written once (core/sql.py), as compiling the queryset cost several times running it.
_QUESTION, _QUESTION_FIELDS = every_column(Question, "q")
_ASKER, _ASKER_FIELDS = every_column(User, "u")
_ANSWERED = Statement(
    f"""
    SELECT {_QUESTION}, {_ASKER}
    FROM {Question._meta.db_table} q JOIN {User._meta.db_table} u ON u.id = q.asker_id
    WHERE q.product_id = %s AND NOT q.is_hidden AND q.answered_at IS NOT NULL
    ORDER BY q.answered_at DESC, q.id DESC LIMIT %s
    """,  # noqa: S608
    [*_QUESTION_FIELDS, *_ASKER_FIELDS],
)


def _page(questions: QuerySet[Question], page: int | str) -> Page:
    return Paginator(_with_answers(questions), PER_PAGE).get_page(page)


def product_answered_questions(*, product_id: int, limit: int = ON_PRODUCT_PAGE) -> list[Question]:
    """The latest answered questions for the product page with their askers, and their
    answers in a second query when there are some."""
    questions = []
    for row in _ANSWERED.rows([product_id, limit]):
        question = instance(Question, row[: len(_QUESTION_FIELDS)])
        question.asker = instance(User, row[len(_QUESTION_FIELDS) :])
        questions.append(question)
    prefetch_related_objects(questions, _answers())
    return questions


def product_questions(*, product_id: int, page: int | str = 1) -> Page:
    """All visible questions on a product, newest first, answered or not."""
    return _page(Question.objects.filter(product_id=product_id, is_hidden=False), page)


def member_questions(*, asker: User, page: int | str = 1) -> Page:
    return _page(Question.objects.filter(asker=asker).select_related("product"), page)


def store_questions(
    *, actor: User, store_id: int, unanswered: bool = False, page: int | str = 1
) -> Page:
    """Questions on the goods a store lists, for its staff (tenancy through access_store)."""
    store = access_store(user=actor, store_id=store_id)
    listed = StoreListing.objects.filter(store=store, is_listed=True).values("product_id")
    questions = Question.objects.filter(product_id__in=listed, is_hidden=False).select_related(
        "product"
    )
    if unanswered:
        questions = questions.filter(answered_at__isnull=True)
    return _page(questions, page)
