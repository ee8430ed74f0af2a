"""/api/questions: a product's questions are public; asking and answering need a member, and
only those who may answer do."""

import pytest

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import UserFactory
from rongcheng.questions.models import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


def test_ask_answer_and_read(client, mall):
    client.force_login(mall.buyer)
    asked = client.post(
        f"/api/questions/products/{mall.product.id}",
        {"body": "偏大吗"},
        content_type="application/json",
    )
    assert asked.status_code == 201
    question_id = asked.json()["id"]

    client.force_login(UserFactory())
    refused = client.post(
        f"/api/questions/{question_id}/answers", {"body": "乱答"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "answer_not_allowed"
    assert not Answer.objects.exists()

    client.force_login(mall.clerk_a)
    answered = client.post(
        f"/api/questions/{question_id}/answers", {"body": "正常"}, content_type="application/json"
    )
    assert answered.status_code == 201
    assert answered.json()["role"] == "store"
    assert answered.json()["store_name"] == mall.store_a.name

    client.logout()
    listing = client.get(f"/api/questions/products/{mall.product.id}").json()
    assert listing["count"] == 1
    assert listing["items"][0]["answered"] is True
    assert [a["body"] for a in listing["items"][0]["answers"]] == ["正常"]
    assert client.get("/api/questions/mine").status_code == 401


def test_a_product_not_on_sale_takes_no_question(client, mall):
    client.force_login(mall.buyer)
    response = client.post(
        "/api/questions/products/999999", {"body": "在吗"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "question_product_unavailable"
