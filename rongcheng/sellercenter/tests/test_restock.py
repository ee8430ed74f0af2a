"""到货通知 in the seller center: what a store's staff see (its city's waiting registrations
for goods it lists, and those whose goods arrived there), acting on its own only, another
store's registration answering 404 with nothing changed, and the page's bounded queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rongcheng.core.testing.factories import UserFactory
from rongcheng.orders.models import Order
from rongcheng.restock.models import Registration
from rongcheng.restock.services import restock_register
from rongcheng.stores.models import StoreMembership
from rongcheng.stores.tests.factories import StoreMembershipFactory

pytestmark = pytest.mark.django_db
ORDOS, BEIJING = "150600", "110100"


def register(member, sku, city=ORDOS, quantity=2, mobile="13900000001") -> Registration:
    return restock_register(
        member=member, sku_id=sku.id, city_code=city, quantity=quantity, mobile=mobile, consent=True
    )


def page(client, store, **params) -> str:
    response = client.get(reverse("sellercenter:restock", args=[store.id]), params)
    assert response.status_code == 200
    return response.content.decode()


def act(client, store, registration, action, **data):
    url = reverse(f"sellercenter:restock_{action}", args=[store.id, registration.id])
    return client.post(url, data)


def states(*registrations) -> list[tuple]:
    ids = [r.id for r in registrations]
    return list(
        Registration.objects.filter(id__in=ids)
        .order_by("id")
        .values_list("state", "staff_note", "order_number")
    )


def test_the_store_sees_its_citys_waiting_registrations_and_those_that_arrived_there(client, mall):
    waiting = register(mall.buyer, mall.sku_m, mobile="13912345678")
    beijing = register(UserFactory(), mall.sku_l, city=BEIJING)
    arrived_b = register(UserFactory(), mall.sku_l, mobile="13800001111")
    mall.stock(mall.store_b, mall.sku_l, 1)  # arrived_b is store B's to follow up
    client.force_login(mall.clerk_a)

    html = page(client, mall.store_a)
    assert f'data-registration="{waiting.id}"' in html
    assert f'data-registration="{beijing.id}"' not in html
    assert f'data-registration="{arrived_b.id}"' not in html
    # Waiting: every shop of the city sees the demand, the mobile masked, nothing to act on.
    assert "139****5678" in html and "13912345678" not in html
    assert reverse("sellercenter:restock_order", args=[mall.store_a.id, waiting.id]) not in html

    client.force_login(mall.clerk_b)
    html = page(client, mall.store_b)
    assert "13800001111" in html
    assert reverse("sellercenter:restock_order", args=[mall.store_b.id, arrived_b.id]) in html
    assert f'data-registration="{waiting.id}"' in html
    html = page(client, mall.store_b, state="notified")
    assert f'data-registration="{arrived_b.id}"' in html
    assert f'data-registration="{waiting.id}"' not in html
    html = page(client, mall.store_b, q=mall.sku_m.code)
    assert f'data-registration="{waiting.id}"' in html
    assert f'data-registration="{arrived_b.id}"' not in html


def test_staff_contact_the_member_and_order_at_todays_price(client, mall):
    registration = register(mall.buyer, mall.sku_m)
    mall.stock(mall.store_a, mall.sku_m, 5)
    client.force_login(mall.clerk_a)

    response = act(
        client, mall.store_a, registration, "contacted", note="明天到店", state="notified"
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("sellercenter:restock", args=[mall.store_a.id]) + "?state=notified"
    )
    assert states(registration) == [("contacted", "明天到店", "")]

    response = act(client, mall.store_a, registration, "order")
    assert response.status_code == 302
    order = Order.objects.get(buyer=mall.buyer)
    assert (order.status, order.store_id, order.total) == (
        "awaiting_payment",
        mall.store_a.id,
        Decimal("2560.00"),
    )
    assert states(registration) == [("ordered", "明天到店", order.number)]
    # An ordered registration takes no more actions: the message says why, nothing changes.
    response = act(client, mall.store_a, registration, "close")
    assert response.status_code == 302
    assert states(registration) == [("ordered", "明天到店", order.number)]
    assert Order.objects.count() == 1


def test_another_stores_registrations_are_not_found_and_stay_unchanged(client, mall):
    arrived_a = register(mall.buyer, mall.sku_m)
    mall.stock(mall.store_a, mall.sku_m, 5)
    waiting = register(UserFactory(), mall.sku_l)
    client.force_login(mall.clerk_b)

    assert client.get(reverse("sellercenter:restock", args=[mall.store_a.id])).status_code == 404
    for store, registration in (
        (mall.store_a, arrived_a),  # another store's page
        (mall.store_b, arrived_a),  # the goods arrived in store A, not here
        (mall.store_b, waiting),  # waiting: no store acts on it yet
    ):
        for action in ("contacted", "order", "close"):
            assert act(client, store, registration, action, note="x").status_code == 404
    assert states(arrived_a, waiting) == [("notified", "", ""), ("waiting", "", "")]
    assert not Order.objects.exists()


def test_fulfillment_staff_may_not_follow_registrations_up(client, mall):
    packer = StoreMembershipFactory(store=mall.store_a, role=StoreMembership.Role.FULFILLMENT).user
    client.force_login(packer)
    assert client.get(reverse("sellercenter:restock", args=[mall.store_a.id])).status_code == 403


def test_the_page_runs_the_same_queries_for_one_registration_or_many(client, mall):
    client.force_login(mall.clerk_a)
    register(mall.buyer, mall.sku_m)
    page(client, mall.store_a)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        page(client, mall.store_a)
    for number in range(6):
        register(UserFactory(), mall.sku_l if number % 2 else mall.sku_m)
    mall.stock(mall.store_a, mall.sku_l, 5)
    with CaptureQueriesContext(connection) as many:
        html = page(client, mall.store_a)
    assert html.count("data-registration=") == 7
    assert len(many) == len(one) <= 14
