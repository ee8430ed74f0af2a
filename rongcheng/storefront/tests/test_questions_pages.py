"""商品咨询 pages: the product page's answered questions, asking, answering, my questions,
and the seller center's list with the store's answer (its own goods only)."""

import pytest
from django.urls import reverse

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import UserFactory
from rongcheng.questions.models import Answer, Question
from rongcheng.questions.services import answer_add, question_ask
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_product_page_shows_answered_questions(client, mall, prefix):
    answered = question_ask(asker=mall.buyer, product_id=mall.product.id, body="会起球吗？")
    question_ask(asker=mall.buyer, product_id=mall.product.id, body="还没人答的问题")
    answer_add(author=mall.clerk_a, question_id=answered.id, body="不易起球。")
    html = client.get(f"{prefix}/product/{mall.product.id}/").content.decode()
    assert "会起球吗？" in html and "不易起球。" in html and mall.store_a.name in html
    assert "还没人答的问题" not in html
    assert ("Product questions" if prefix else "商品咨询") in html


def test_members_ask_and_sellers_answer_on_the_questions_page(client, mall):
    url = reverse("storefront:product_questions", args=[mall.product.id])
    assert "登录后提问" in client.get(url).content.decode()
    client.force_login(mall.buyer)
    page = client.get(url).content.decode()
    assert 'name="body"' in page and "写下您的回答" not in page  # the asker has not bought it
    client.post(reverse("storefront:question_ask", args=[mall.product.id]), {"body": "偏大吗"})
    question = Question.objects.get()

    client.force_login(mall.clerk_a)
    assert "写下您的回答" in client.get(url).content.decode()
    client.post(
        reverse("storefront:question_answer", args=[mall.product.id, question.id]),
        {"body": "正常尺码"},
    )
    assert Answer.objects.get().body == "正常尺码"

    client.force_login(mall.buyer)
    mine = client.get(reverse("storefront:member_questions")).content.decode()
    assert "偏大吗" in mine and "正常尺码" in mine


def test_a_refused_answer_writes_nothing(client, mall):
    question = question_ask(asker=mall.buyer, product_id=mall.product.id, body="偏大吗")
    client.force_login(UserFactory())
    client.post(
        reverse("storefront:question_answer", args=[mall.product.id, question.id]), {"body": "乱答"}
    )
    assert not Answer.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_seller_center_lists_and_answers_its_goods_questions(client, mall, prefix):
    question = question_ask(asker=mall.buyer, product_id=mall.product.id, body="偏大吗")
    client.force_login(mall.clerk_a)
    html = client.get(f"{prefix}/seller/{mall.store_a.id}/questions/?state=unanswered").content
    assert "偏大吗".encode() in html
    client.post(
        reverse("sellercenter:question_answer", args=[mall.store_a.id, question.id]),
        {"body": "正常尺码"},
    )
    assert Answer.objects.get().store_id == mall.store_a.id


def test_another_stores_clerk_reaches_neither_list_nor_answer(client, mall):
    question = question_ask(asker=mall.buyer, product_id=mall.product.id, body="偏大吗")
    outsider = StoreMembershipFactory(store=StoreFactory(city=mall.store_a.city)).user
    client.force_login(outsider)
    assert client.get(f"/seller/{mall.store_a.id}/questions/").status_code == 404
    response = client.post(
        reverse("sellercenter:question_answer", args=[mall.store_a.id, question.id]),
        {"body": "抢答"},
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()
