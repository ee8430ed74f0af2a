from decimal import Decimal

import pytest

from rongcheng.checkout.tests.buying import buy
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client, mall):
    client.force_login(mall.admin)
    return client


def test_operations_read_an_order_with_its_lines_and_events(operator_client, mall):
    mall.stock(mall.store_a, mall.sku_m, 3)
    order = buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()
    listing = operator_client.get("/backoffice/orders/order/")
    assert listing.status_code == 200
    assert order.number in listing.content.decode()
    detail = operator_client.get(f"/backoffice/orders/order/{order.pk}/change/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert mall.sku_m.code in html
    assert "待付款" in html
    assert operator_client.get("/backoffice/orders/order/add/").status_code == 403


def test_operations_edit_fee_templates_through_the_services(operator_client, regions):
    data = {
        "name": "标准快递",
        "basis": "weight",
        "is_active": "on",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-first_units": "1000",
        "rules-0-first_fee": "10.00",
        "rules-0-additional_units": "500",
        "rules-0-additional_fee": "3.00",
        "rules-1-region": "150602",  # a district: refused
        "rules-1-first_units": "1000",
        "rules-1-first_fee": "8.00",
        "rules-1-additional_units": "500",
        "rules-1-additional_fee": "2.00",
    }
    refused = operator_client.post("/backoffice/fulfillment/shippingfeetemplate/add/", data)
    assert refused.status_code == 200
    assert ShippingFeeTemplate.objects.count() == 0
    data["rules-1-region"] = "150000"
    saved = operator_client.post("/backoffice/fulfillment/shippingfeetemplate/add/", data)
    assert saved.status_code == 302
    template = ShippingFeeTemplate.objects.get()
    assert template.is_active
    rules = dict(ShippingFeeRule.objects.values_list("region_id", "first_fee"))
    assert rules == {None: Decimal("10.00"), "150000": Decimal("8.00")}
