"""我的收藏 pages: keeping from the product and store pages, folders, moving, removing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from rongcheng.catalog.services import product_price_refresh
from rongcheng.catalog.tests.factories import make_product
from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import UserFactory
from rongcheng.favorites.models import Favorite, FavoriteFolder
from rongcheng.favorites.services import favorite_add, folder_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


def test_the_product_and_store_pages_offer_to_keep_them(client, mall):
    product_page = client.get(reverse("storefront:product", args=[mall.product.id])).content
    store_page = client.get(reverse("storefront:store", args=[mall.store_a.id])).content
    assert b"data-favorite-product" in product_page
    assert b"data-favorite-store" in store_page
    assert b"csrfmiddlewaretoken" not in product_page  # the page stays cacheable


def test_keeping_a_product_returns_to_its_page(client, mall):
    client.force_login(mall.buyer)
    page = reverse("storefront:product", args=[mall.product.id])
    response = client.post(
        reverse("storefront:favorite_add"), {"product": mall.product.id, "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    assert Favorite.objects.get(owner=mall.buyer).product_id == mall.product.id


def test_a_visitor_logs_in_first_and_confirms(client, mall):
    url = reverse("storefront:favorite_add")
    response = client.post(url, {"product": mall.product.id})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(mall.buyer)
    confirm = client.get(url, {"product": mall.product.id})
    assert confirm.status_code == 200
    assert f'name="product" value="{mall.product.id}"' in confirm.content.decode()
    assert not Favorite.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_favorites_page_in_both_languages(client, mall, prefix, django_assert_max_num_queries):
    favorite_add(owner=mall.buyer, product_id=mall.product.id)
    favorite_add(owner=mall.buyer, store_id=mall.store_a.id)
    mall.product.skus.update(price=Decimal("1000.00"))
    product_price_refresh(product_ids=[mall.product.id])
    client.force_login(mall.buyer)
    with django_assert_max_num_queries(12):
        html = client.get(f"{prefix}/member/favorites/").content.decode()
    assert mall.product.name in html and mall.store_a.name in html
    assert "data-price-drop" in html and "data-sold-out" in html
    if prefix:
        assert "My favorites" in html and "Default folder" in html
    else:
        assert "降价 ¥280.00" in html


def test_folders_and_moving_through_the_page(client, mall):
    kept = favorite_add(owner=mall.buyer, product_id=mall.product.id)
    client.force_login(mall.buyer)
    client.post(reverse("storefront:favorite_folder"), {"action": "create", "name": "冬装"})
    folder = FavoriteFolder.objects.get(owner=mall.buyer, name="冬装")
    client.post(reverse("storefront:favorites_move"), {"item": [kept.id], "folder": folder.id})
    kept.refresh_from_db()
    assert kept.folder_id == folder.id
    html = client.get(reverse("storefront:member_favorites"), {"folder": folder.id}).content
    assert mall.product.name.encode() in html

    client.post(reverse("storefront:favorite_folder"), {"action": "delete", "folder": folder.id})
    kept.refresh_from_db()
    assert kept.folder.is_default
    client.post(reverse("storefront:favorite_remove", args=[kept.id]))
    assert not Favorite.objects.exists()


def test_another_members_favorite_cannot_be_removed(client, mall):
    theirs = favorite_add(owner=UserFactory(), product_id=mall.product.id)
    their_folder = folder_create(owner=theirs.owner, name="他的")
    client.force_login(mall.buyer)
    client.post(reverse("storefront:favorite_remove", args=[theirs.id]))
    client.post(
        reverse("storefront:favorite_folder"), {"action": "delete", "folder": their_folder.id}
    )
    assert Favorite.objects.filter(id=theirs.id).exists()
    assert FavoriteFolder.objects.filter(id=their_folder.id).exists()


def test_cards_carry_the_heart_for_everyone_and_the_marks_address_for_members(client, mall):
    store_page = reverse("storefront:store", args=[mall.store_a.id])
    html = client.get(store_page).content.decode()
    assert f'data-card-favorite="{mall.product.id}" aria-pressed="false"' in html
    assert "data-marks=" not in html  # the anonymous copy is cached and shared

    client.force_login(mall.buyer)
    html = client.get(store_page).content.decode()
    assert f'data-marks="{reverse("storefront:favorite_marks")}"' in html
    assert f'data-card-favorite="{mall.product.id}" aria-pressed="false"' in html


def test_the_marks_name_the_members_own_favorites_among_the_pages_products(
    client, mall, django_assert_num_queries
):
    other = make_product(name="羊绒围巾", sizes=("F",))
    kept = favorite_add(owner=mall.buyer, product_id=mall.product.id)
    favorite_add(owner=UserFactory(), product_id=other.id)  # someone else's
    favorite_add(owner=mall.buyer, store_id=mall.store_a.id)  # a store, not a card
    url = reverse("storefront:favorite_marks")
    ids = f"{mall.product.id},{other.id},x,"

    assert client.get(url, {"ids": ids}).json() == {"favorites": {}}
    client.force_login(mall.buyer)
    with django_assert_num_queries(2):  # the member, the marks
        response = client.get(url, {"ids": ids})
    assert response.json() == {"favorites": {str(mall.product.id): kept.id}}
    assert "no-cache" in response["Cache-Control"]
