"""/api/restock: register for a sold-out SKU, list and cancel, the member's own only."""

import pytest

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import UserFactory
from rongcheng.restock.models import Registration
from rongcheng.restock.services import restock_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


def _body(mall, **change):
    return {
        "sku_id": mall.sku_m.id,
        "city_code": "150600",
        "quantity": 2,
        "mobile": "13900000001",
        "consent": True,
    } | change


def test_register_list_and_cancel(client, mall):
    client.force_login(mall.buyer)
    created = client.post("/api/restock", _body(mall), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["state"], body["quantity"], body["colour"]) == ("waiting", 2, "驼色")
    assert client.get("/api/restock").json()["count"] == 1
    cancelled = client.post(f"/api/restock/{body['id']}/cancel")
    assert cancelled.json()["state"] == "closed"
    again = client.post(f"/api/restock/{body['id']}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "restock_state_invalid"


def test_refusals_write_nothing(client, mall):
    client.force_login(mall.buyer)
    no_consent = client.post(
        "/api/restock", _body(mall, consent=False), content_type="application/json"
    )
    assert no_consent.status_code == 422 and no_consent.json()["code"] == "invalid_input"
    no_city = client.post(
        "/api/restock", _body(mall, city_code="999999"), content_type="application/json"
    )
    assert no_city.status_code == 404 and no_city.json()["code"] == "restock_city_unknown"
    assert not Registration.objects.exists()


def test_another_members_registration_is_not_found(client, mall):
    theirs = restock_register(
        member=UserFactory(),
        sku_id=mall.sku_m.id,
        city_code="150600",
        quantity=1,
        mobile="13900000002",
        consent=True,
    )
    client.force_login(mall.buyer)
    assert client.post(f"/api/restock/{theirs.id}/cancel").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "waiting"
