"""到货通知 pages: the product page's link for a sold-out SKU, the form, my registrations."""

import pytest
from django.urls import reverse

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.restock.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


def test_a_sold_out_sku_offers_the_registration(client, mall, django_capture_on_commit_callbacks):
    html = client.get(reverse("storefront:product", args=[mall.product.id])).content.decode()
    link = f'href="{reverse("storefront:restock", args=[mall.sku_m.id])}" data-restock-link'
    assert link in html
    with django_capture_on_commit_callbacks(execute=True):  # the receipt purges the page
        mall.stock(mall.store_a, mall.sku_m, 3)
    html = client.get(reverse("storefront:product", args=[mall.product.id])).content.decode()
    assert 'data-restock-link data-base="/restock/0/" hidden' in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_registering_and_cancelling(client, mall, prefix):
    client.force_login(mall.buyer)
    form = client.get(f"{prefix}/restock/{mall.sku_m.id}/").content.decode()
    assert ("Notify me when in stock" if prefix else "到货通知") in form
    refused = client.post(
        f"{prefix}/restock/{mall.sku_m.id}/",
        {"city": "150600", "quantity": "2", "mobile": "13900000001"},
    )
    assert refused.status_code == 200 and not Registration.objects.exists()
    client.post(
        f"{prefix}/restock/{mall.sku_m.id}/",
        {"city": "150600", "quantity": "2", "mobile": "13900000001", "consent": "on"},
    )
    registration = Registration.objects.get()
    mine = client.get(f"{prefix}/member/restock/").content.decode()
    assert mall.product.name in mine
    client.post(reverse("storefront:restock_cancel", args=[registration.id]))
    registration.refresh_from_db()
    assert registration.state == "closed"
