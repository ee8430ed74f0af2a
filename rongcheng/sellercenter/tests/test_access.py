"""Tenancy: staff see and change only their own store; the pages say so with 404 and 403."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.models import StockMovement
from rongcheng.sellercenter.tests.conftest import snapshot
from rongcheng.stores.models import Store, StoreMembership

pytestmark = pytest.mark.django_db

PAGES = ("listings", "stock", "movements")


def _posts(shops, store):
    """Every change the seller center can make, aimed at `store`."""
    sku = shops.scarf.skus.get()
    return [
        (
            reverse("sellercenter:listings_update", args=[store.id]),
            {"product": [shops.scarf.id, shops.sweater.id], "action": "delist"},
        ),
        (
            reverse("sellercenter:stock_receive", args=[store.id]),
            {"receive-sku": sku.code, "receive-quantity": "5"},
        ),
        (
            reverse("sellercenter:stock_adjust", args=[store.id]),
            {"adjust-sku": sku.code, "adjust-delta": "-3", "adjust-note": "盘亏"},
        ),
    ]


def test_a_clerk_cannot_see_or_change_another_stores_listings_or_stock(client, shops):
    before = snapshot(shops.b)
    client.force_login(shops.clerk_a)

    for page in PAGES:
        assert client.get(reverse(f"sellercenter:{page}", args=[shops.b.id])).status_code == 404
    assert client.get(reverse("sellercenter:index"), {"store": shops.b.id}).status_code == 404
    for url, data in _posts(shops, shops.b):
        response = client.post(url, data)
        assert response.status_code == 404
        # The refusal does not reveal the other store: the page is the plain "not found" one.
        assert shops.b.name not in response.content.decode()

    assert snapshot(shops.b) == before


def test_the_same_changes_go_through_for_the_clerks_own_store(client, shops):
    """The control for the test above: the very same requests work on store A."""
    before = snapshot(shops.a)
    client.force_login(shops.clerk_a)
    for url, data in _posts(shops, shops.a):
        assert client.post(url, data).status_code == 302
    assert snapshot(shops.a) != before
    assert StockMovement.objects.filter(store=shops.a).count() == before[2] + 2


def test_a_store_that_does_not_exist_is_not_found(client, shops):
    client.force_login(shops.clerk_a)
    missing = shops.b.id + 100
    for page in PAGES:
        assert client.get(reverse(f"sellercenter:{page}", args=[missing])).status_code == 404
    assert client.get(reverse("sellercenter:index"), {"store": "abc"}).status_code == 404


def test_a_shopper_without_a_store_gets_403_and_changes_nothing(client, shops):
    before = snapshot(shops.a)
    client.force_login(shops.shopper)
    assert client.get(reverse("sellercenter:index")).status_code == 403
    for page in PAGES:
        assert client.get(reverse(f"sellercenter:{page}", args=[shops.a.id])).status_code == 403
    for url, data in _posts(shops, shops.a):
        assert client.post(url, data).status_code == 403
    assert snapshot(shops.a) == before


def test_a_deactivated_membership_no_longer_opens_the_seller_center(client, shops):
    StoreMembership.objects.filter(user=shops.clerk_a).update(is_active=False)
    client.force_login(shops.clerk_a)
    assert client.get(reverse("sellercenter:index")).status_code == 403
    assert client.get(reverse("sellercenter:stock", args=[shops.a.id])).status_code == 403


def test_visitors_are_sent_to_sign_in(client, shops):
    url = reverse("sellercenter:stock", args=[shops.a.id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('storefront:login')}?next={url}"


def test_fulfillment_staff_handle_stock_but_cannot_list_or_delist(client, shops):
    before = snapshot(shops.a)
    client.force_login(shops.fulfillment_a)

    listings = reverse("sellercenter:listings", args=[shops.a.id])
    assert client.get(listings).status_code == 403
    url, data = _posts(shops, shops.a)[0]
    response = client.post(url, data)
    assert response.status_code == 403
    assert "您没有此门店的操作权限" in response.content.decode()
    assert snapshot(shops.a) == before

    stock = client.get(reverse("sellercenter:stock", args=[shops.a.id]))
    assert stock.status_code == 200
    assert f'href="{listings}"' not in stock.content.decode()
    url, data = _posts(shops, shops.a)[1]
    assert client.post(url, data).status_code == 302
    assert StockMovement.objects.filter(store=shops.a).count() == before[2] + 1


def test_clerks_and_managers_see_the_listing_page(client, shops):
    listings = reverse("sellercenter:listings", args=[shops.a.id])
    for user in (shops.manager_a, shops.clerk_a):
        client.force_login(user)
        response = client.get(listings)
        assert response.status_code == 200
        assert f'href="{listings}"' in response.content.decode()


def test_an_operator_who_acts_for_any_store_opens_its_pages(client, shops):
    """Operations help stores (ROLE-3) through the platform permission, without membership."""
    operator = UserFactory(password=None)
    operator.user_permissions.add(Permission.objects.get(codename="act_for_any_store"))
    client.force_login(operator)
    for page in PAGES:
        assert client.get(reverse(f"sellercenter:{page}", args=[shops.b.id])).status_code == 200


def test_a_closed_store_takes_no_change_from_its_own_staff_or_operators(client, shops):
    """access_store is the one check: the seller center refuses a closed store like the
    services do, and a clerk of another store still only gets 'not found'."""
    Store.objects.filter(pk=shops.a.pk).update(is_active=False)
    before = snapshot(shops.a)
    operator = UserFactory(password=None)
    operator.user_permissions.add(Permission.objects.get(codename="act_for_any_store"))

    for user in (shops.manager_a, shops.clerk_a, operator):
        client.force_login(user)
        for page in PAGES:
            response = client.get(reverse(f"sellercenter:{page}", args=[shops.a.id]))
            assert response.status_code == 403
            assert "门店已停业" in response.content.decode()
        for url, data in _posts(shops, shops.a):
            assert client.post(url, data).status_code == 403
    client.force_login(shops.clerk_b)
    for url, data in _posts(shops, shops.a):
        assert client.post(url, data).status_code == 404
    assert snapshot(shops.a) == before
