"""/api/favorites: folders, keeping, listing, moving and removing, the member's own only."""

import pytest

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import UserFactory
from rongcheng.favorites.models import Favorite
from rongcheng.favorites.services import favorite_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


def test_folders_and_favorites_round_trip(client, mall):
    client.force_login(mall.buyer)
    kept = client.post(
        "/api/favorites", {"product_id": mall.product.id}, content_type="application/json"
    )
    assert kept.status_code == 201
    body = kept.json()
    assert body["kind"] == "product" and body["saved_price"] == "1280.00"
    assert body["sold_out"] is True and body["price_drop"] == "0.00"

    folder = client.post(
        "/api/favorites/folders", {"name": "冬装"}, content_type="application/json"
    ).json()
    assert folder == {"id": folder["id"], "name": "冬装", "is_default": False, "count": 0}
    moved = client.post(
        "/api/favorites/move",
        {"favorite_ids": [body["id"]], "folder_id": folder["id"]},
        content_type="application/json",
    )
    assert moved.json() == {"moved": 1}
    listing = client.get("/api/favorites", {"folder_id": folder["id"]}).json()
    assert [item["id"] for item in listing["items"]] == [body["id"]]

    refused = client.delete(f"/api/favorites/folders/{body['folder_id']}")
    assert refused.status_code == 409 and refused.json()["code"] == "folder_invalid"
    assert client.delete(f"/api/favorites/folders/{folder['id']}").status_code == 204
    assert client.delete(f"/api/favorites/{body['id']}").status_code == 204
    assert not Favorite.objects.exists()


def test_another_members_favorite_is_not_found(client, mall):
    theirs = favorite_add(owner=UserFactory(), product_id=mall.product.id)
    client.force_login(mall.buyer)
    response = client.delete(f"/api/favorites/{theirs.id}")
    assert response.status_code == 404 and response.json()["code"] == "favorite_not_found"
    assert Favorite.objects.filter(id=theirs.id).exists()
    assert client.get("/api/favorites").json()["count"] == 0


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/favorites").status_code == 401
