"""The seller-center home (the user's stores and their figures) and the header link."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rongcheng.catalog.tests.factories import make_product
from rongcheng.inventory.models import Stock
from rongcheng.inventory.services import listing_set
from rongcheng.stores.models import StoreMembership
from rongcheng.stores.tests.factories import StoreMembershipFactory

pytestmark = pytest.mark.django_db

LINK = "卖家中心</a>"


def _figures(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r"<div><dt>([^<]+)</dt><dd[^>]*>(\d+)</dd></div>", html))


def test_the_home_shows_the_stores_figures(client, shops):
    Stock.objects.filter(store=shops.a, sku__product=shops.sweater, sku__size="M").update(on_hand=0)
    Stock.objects.filter(store=shops.a, sku__product=shops.scarf).update(reserved=1)
    coat = make_product(name="羊绒大衣", sizes=("S", "M"))
    listing_set(actor=shops.clerk_a, store_id=shops.a.id, product_ids=[coat.id], listed=True)
    client.force_login(shops.clerk_a)

    response = client.get(reverse("sellercenter:index"))
    assert response.status_code == 200
    assert _figures(response) == {
        "在售商品": "3",
        "有货 SKU": "2",  # the scarf and the large sweater
        "零库存 SKU": "3",  # the medium sweater and the coat's two sizes (no stock yet)
        "在库件数": "6",
        "已预留件数": "1",
        "可售件数": "5",
    }
    assert shops.a.name in response.content.decode()
    assert "我的门店" not in response.content.decode()  # one store: nothing to pick


def test_staff_of_several_stores_pick_one(client, shops):
    StoreMembershipFactory(store=shops.b, user=shops.manager_a, role=StoreMembership.Role.MANAGER)
    Stock.objects.filter(store=shops.b).update(on_hand=7)
    client.force_login(shops.manager_a)
    url = reverse("sellercenter:index")

    first = client.get(url)
    assert "我的门店" in first.content.decode()
    assert f'href="?store={shops.b.id}"' in first.content.decode()
    # Stores are ordered by code: "a" first.
    assert _figures(first)["在库件数"] == "9"
    second = client.get(url, {"store": shops.b.id})
    assert _figures(second)["在库件数"] == "21"
    assert f'href="{reverse("sellercenter:stock", args=[shops.b.id])}"' in (second.content.decode())


def test_the_header_links_the_seller_center_for_store_staff_only(client, shops):
    home = reverse("storefront:home")
    assert LINK not in client.get(home).content.decode()  # anonymous

    client.force_login(shops.shopper)
    assert LINK not in client.get(home).content.decode()

    client.force_login(shops.fulfillment_a)
    html = client.get(home).content.decode()
    assert f'<a href="{reverse("sellercenter:index")}">{LINK}' in html

    StoreMembership.objects.filter(user=shops.fulfillment_a).update(is_active=False)
    assert LINK not in client.get(home).content.decode()


def test_the_header_asks_about_memberships_only_for_members(client, shops):
    terms = reverse("storefront:terms")

    def membership_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(terms)
        return sum("stores_storemembership" in query["sql"] for query in captured)

    assert membership_queries() == 0  # anonymous visitors
    client.force_login(shops.clerk_a)
    assert membership_queries() == 1
    # A seller-center page reads the memberships once for itself and its header.
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("sellercenter:stock", args=[shops.a.id]))
    membership_reads = [q for q in captured if "stores_storemembership" in q["sql"]]
    assert len(membership_reads) == 2  # the list of stores, and access_store's role check
