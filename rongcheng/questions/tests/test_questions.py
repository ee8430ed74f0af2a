"""Product questions: who may answer (the stores selling it, customer service, buyers who
paid for it), the asker is told, the product page shows answered questions and is purged."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rongcheng.checkout.tests.buying import buy, pay
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.models import Notice
from rongcheng.questions.errors import (
    AnswerNotAllowed,
    QuestionInvalid,
    QuestionNotFound,
    QuestionProductUnavailable,
)
from rongcheng.questions.models import Answer, Question
from rongcheng.questions.selectors import product_answered_questions, store_questions
from rongcheng.questions.services import answer_add, question_ask, question_set_hidden
from rongcheng.seo.page_cache import HEADER
from rongcheng.stores.errors import StoreAccessDenied
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(mall):
    asker = UserFactory(real_name="王五")
    return question_ask(asker=asker, product_id=mall.product.id, body="  M 码适合 170 吗？ ")


def test_a_clerk_of_a_selling_store_answers_and_the_asker_is_told(
    mall, asked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_add(author=mall.clerk_a, question_id=asked.id, body="适合，偏宽松。")
    asked.refresh_from_db()
    assert asked.body == "M 码适合 170 吗？"
    assert (answer.role, answer.store_id) == (Answer.Role.STORE, mall.store_a.id)
    assert asked.answered_at is not None
    notice = Notice.objects.get(recipient=asked.asker)
    assert notice.kind == Notice.Kind.QUESTION_ANSWERED
    assert notice.title == "您对“经典圆领羊绒衫”的提问有了新回答"
    assert notice.body == "适合，偏宽松。"
    assert notice.reference == str(mall.product.id)


def test_a_buyer_who_paid_may_answer_one_who_did_not_may_not(mall, asked):
    mall.stock(mall.store_a, mall.sku_m, 2)
    checkout = buy(mall, mall.sku_m, address=mall.address)
    with pytest.raises(AnswerNotAllowed):  # placed, not paid
        answer_add(author=mall.buyer, question_id=asked.id, body="我买了")
    pay(checkout, paid_at=datetime.datetime.now(datetime.UTC))
    answer = answer_add(author=mall.buyer, question_id=asked.id, body="我买了，很合身")
    assert answer.role == Answer.Role.BUYER


def test_customer_service_answers_as_staff(mall, asked):
    agent = UserFactory(is_staff=True)
    agent.user_permissions.add(Permission.objects.get(codename="answer_question"))
    agent = type(agent).objects.get(pk=agent.pk)
    assert answer_add(author=agent, question_id=asked.id, body="平台答复").role == "staff"


def test_anyone_else_is_refused_and_nothing_is_written(mall, asked):
    other_store = StoreFactory(city=mall.store_a.city)
    outsider_clerk = StoreMembershipFactory(store=other_store).user
    for author in (UserFactory(), outsider_clerk, asked.asker):
        with pytest.raises(AnswerNotAllowed):
            answer_add(author=author, question_id=asked.id, body="我来答")
    with pytest.raises(QuestionInvalid):
        answer_add(author=mall.clerk_a, question_id=asked.id, body="   ")
    asked.refresh_from_db()
    assert not Answer.objects.exists()
    assert asked.answered_at is None
    assert not Notice.objects.exists()


def test_asking_needs_a_product_on_sale_and_text(mall):
    with pytest.raises(QuestionInvalid):
        question_ask(asker=mall.buyer, product_id=mall.product.id, body="x" * 201)
    mall.product.is_active = False
    mall.product.save()
    with pytest.raises(QuestionProductUnavailable):
        question_ask(asker=mall.buyer, product_id=mall.product.id, body="还有货吗")
    assert not Question.objects.exists()


def test_the_product_page_shows_the_latest_answered_questions_with_askers_and_answers(mall):
    at = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)
    askers = [UserFactory(real_name=f"顾客{n}") for n in range(7)]
    questions = [
        Question.objects.create(
            product=mall.product,
            asker=asker,
            body=f"问题{n}",
            answered_at=at + datetime.timedelta(hours=n % 3),
        )
        for n, asker in enumerate(askers)
    ]
    Question.objects.filter(id=questions[5].id).update(is_hidden=True)
    Question.objects.filter(id=questions[6].id).update(answered_at=None)
    for question in questions[:5]:
        Answer.objects.create(
            question=question, author=mall.clerk_a, role="store", store=mall.store_a, body="有货"
        )
    with CaptureQueriesContext(connection) as reads:
        shown = product_answered_questions(product_id=mall.product.id, limit=4)
        seen = [
            (
                q.id,
                q.body,
                q.asker.real_name,
                [(a.body, a.author.id, a.store.id) for a in q.answers.all()],
            )
            for q in shown
        ]
    # Latest answer first, then the newer question; hidden and unanswered ones never.
    order = [questions[n] for n in (2, 4, 1, 3)]
    assert seen == [
        (q.id, q.body, q.asker.real_name, [("有货", mall.clerk_a.id, mall.store_a.id)])
        for q in order
    ]
    assert len(reads.captured_queries) == 2  # the questions with askers, then the answers
    assert shown[0].answered_at == at + datetime.timedelta(hours=2)
    assert shown[0].is_hidden is False
    assert product_answered_questions(product_id=mall.product.id + 10_000) == []


def test_hidden_questions_take_no_answers_and_leave_the_page(mall, asked):
    answer_add(author=mall.clerk_a, question_id=asked.id, body="适合")
    assert [q.id for q in product_answered_questions(product_id=mall.product.id)] == [asked.id]
    question_set_hidden(question_id=asked.id, hidden=True)
    assert product_answered_questions(product_id=mall.product.id) == []
    with pytest.raises(QuestionNotFound):
        answer_add(author=mall.clerk_b, question_id=asked.id, body="再答")


def test_a_store_sees_the_questions_on_its_goods_only(mall, asked):
    page = store_questions(actor=mall.clerk_a, store_id=mall.store_a.id, unanswered=True)
    assert [q.id for q in page.object_list] == [asked.id]
    outsider = StoreMembershipFactory(store=StoreFactory(city=mall.store_a.city)).user
    with pytest.raises(StoreAccessDenied):
        store_questions(actor=outsider, store_id=mall.store_a.id)
    own = StoreMembershipFactory(store=StoreFactory(city=mall.store_a.city))
    assert store_questions(actor=own.user, store_id=own.store_id).paginator.count == 0


def test_an_answer_purges_the_cached_product_page(
    client, mall, asked, django_capture_on_commit_callbacks
):
    page = reverse("storefront:product", args=[mall.product.id])
    client.get(page)
    assert client.get(page).get(HEADER) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        answer_add(author=mall.clerk_a, question_id=asked.id, body="适合，偏宽松。")
    response = client.get(page)
    assert response.get(HEADER) == "miss"
    assert "适合，偏宽松。" in response.content.decode()
