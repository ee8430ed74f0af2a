"""Checkout through the API: the quote, idempotent placing, a changed price answered with the
new total, pick-up stores, and starting a payment; refusals write nothing."""

import datetime
import json
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine

from rongcheng.cart.services import bag_line_add
from rongcheng.checkout.models import Checkout
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.models import Stock
from rongcheng.orders.models import Order
from rongcheng.payments.gateways.common import public_key_of, rsa_sha256_verify
from rongcheng.payments.models import Payment, SandboxTrade
from rongcheng.payments.sandbox import wechat as sandbox_wechat

pytestmark = pytest.mark.django_db

API = "/api/checkout"


def _post(client, path, body):
    return client.post(f"{API}{path}", data=json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        yield


@pytest.fixture
def buyer_api(client, shop):
    shop.stock(shop.store_a, shop.sku_m, 5)
    shop.stock(shop.store_b, shop.sku_l, 5)
    bag_line_add(user=shop.buyer, sku_id=shop.sku_m.id, quantity=2)
    bag_line_add(user=shop.buyer, sku_id=shop.sku_l.id, quantity=1)
    client.force_login(shop.buyer)
    return client


def _courier_place(client, shop, token: str) -> dict:
    """Place the bag by courier to the buyer's Ordos address at its quoted total."""
    body = {"delivery": "courier", "address_id": shop.address.id}
    body |= {"token": token, "expected_total": "3840.00"}
    response = _post(client, "/place", body)
    assert response.status_code == 200
    return response.json()


def _reserved() -> list[int]:
    return list(Stock.objects.order_by("id").values_list("reserved", flat=True))


def test_every_checkout_endpoint_needs_a_login(client):
    for response in (
        _post(client, "/quote", {"delivery": "pickup", "store_id": 1}),
        _post(client, "/place", {}),
        client.get(f"{API}/pickup-stores?city=150600"),
        _post(client, "/20260301000000000001/pay", {"channel": "alipay_page"}),
    ):
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_a_courier_quote_splits_by_store(buyer_api, shop):
    response = _post(buyer_api, "/quote", {"delivery": "courier", "address_id": shop.address.id})
    assert response.status_code == 200
    body = response.json()
    assert len(body.pop("token")) == 32
    line_m = {
        "sku_id": shop.sku_m.id,
        "sku_code": shop.sku_m.code,
        "product_name": "经典圆领羊绒衫",
        "colour": shop.sku_m.colour,
        "size": "M",
        "quantity": 2,
        "unit_price": "1280.00",
        "regular_price": "1280.00",
        "total": "2560.00",
    }
    line_l = line_m | {"sku_id": shop.sku_l.id, "sku_code": shop.sku_l.code, "size": "L"}
    line_l |= {"quantity": 1, "total": "1280.00"}
    assert body == {
        "delivery": "courier",
        "orders": [
            {
                "store_id": shop.store_a.id,
                "store_name": "鄂尔多斯 A 店",
                "lines": [line_m],
                "subtotal": "2560.00",
                "discount": "0.00",
                "shipping_fee": "0.00",
                "total": "2560.00",
            },
            {
                "store_id": shop.store_b.id,
                "store_name": "鄂尔多斯 B 店",
                "lines": [line_l],
                "subtotal": "1280.00",
                "discount": "0.00",
                "shipping_fee": "0.00",
                "total": "1280.00",
            },
        ],
        "total": "3840.00",
    }


def test_placing_is_idempotent_and_names_orders_by_number(buyer_api, shop):
    first = _courier_place(buyer_api, shop, "t-1")
    assert _courier_place(buyer_api, shop, "t-1") == first
    checkout = Checkout.objects.get()
    orders = list(Order.objects.order_by("id"))
    assert first == {
        "number": checkout.number,
        "total": "3840.00",
        "orders": [
            {
                "number": orders[0].number,
                "store_name": "鄂尔多斯 A 店",
                "status": "awaiting_payment",
                "total": "2560.00",
            },
            {
                "number": orders[1].number,
                "store_name": "鄂尔多斯 B 店",
                "status": "awaiting_payment",
                "total": "1280.00",
            },
        ],
    }
    assert [order.note for order in orders] == ["", ""]


def test_a_changed_price_answers_409_with_the_new_total(buyer_api, shop):
    body = {"delivery": "pickup", "store_id": shop.store_a.id}
    body |= {"token": "t-2", "expected_total": "1280.00", "note": "请包装好"}
    shop.stock(shop.store_a, shop.sku_l, 1)
    response = _post(buyer_api, "/place", body)
    assert response.status_code == 409
    assert response.json()["code"] == "price_changed"
    assert response.json()["total"] == "3840.00"
    assert (Checkout.objects.count(), Order.objects.count()) == (0, 0)
    assert set(_reserved()) == {0}


def test_placing_needs_a_real_name_and_changes_nothing(client, shop):
    anonymous = UserFactory()
    shop.stock(shop.store_a, shop.sku_m, 1)
    bag_line_add(user=anonymous, sku_id=shop.sku_m.id)
    client.force_login(anonymous)
    body = {"delivery": "pickup", "store_id": shop.store_a.id}
    response = _post(client, "/place", body | {"token": "t", "expected_total": "1280.00"})
    assert (response.status_code, response.json()["code"]) == (409, "identity_incomplete")
    assert "total" not in response.json()
    assert (Checkout.objects.count(), set(_reserved())) == (0, {0})


def test_another_members_address_is_refused(buyer_api, shop):
    other = UserFactory(real_name="王五")
    foreign = _post(buyer_api, "/quote", {"delivery": "courier", "address_id": other.pk})
    assert (foreign.status_code, foreign.json()["code"]) == (409, "checkout_invalid")
    missing = _post(buyer_api, "/quote", {"delivery": "pickup"})
    assert (missing.status_code, missing.json()["code"]) == (409, "checkout_invalid")


def test_pickup_stores_of_a_city_nearest_first(buyer_api, shop):
    shop.stock(shop.store_b, shop.sku_m, 5)
    response = buyer_api.get(f"{API}/pickup-stores?city=150600")
    assert response.status_code == 200
    assert [store["code"] for store in response.json()] == ["ordos-b"]
    shop.stock(shop.store_a, shop.sku_l, 5)
    stores = buyer_api.get(f"{API}/pickup-stores?city=150600").json()
    assert [store["code"] for store in stores] == ["ordos-a", "ordos-b"]
    unknown = buyer_api.get(f"{API}/pickup-stores?city=999999")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_city")


def test_paying_starts_the_chosen_channel(buyer_api, shop):
    placed = _courier_place(buyer_api, shop, "t-3")
    response = _post(buyer_api, f"/{placed['number']}/pay", {"channel": "alipay_page"})
    assert response.status_code == 200
    payment = Payment.objects.get()
    body = response.json()
    assert (body["payment_number"], body["channel"], body["amount"]) == (
        payment.out_trade_no,
        "alipay_page",
        "3840.00",
    )
    assert urlsplit(body["redirect_url"]).query
    assert (body["qr_code"], body["form_action"], body["form_fields"], body["jsapi"]) == (
        "",
        "",
        {},
        {},
    )
    assert (payment.reference, payment.amount) == (placed["number"], Decimal("3840.00"))

    qr = _post(buyer_api, f"/{placed['number']}/pay", {"channel": "wechat_native"}).json()
    assert (qr["channel"], qr["redirect_url"], qr["qr_code"] != "") == ("wechat_native", "", True)
    form = _post(buyer_api, f"/{placed['number']}/pay", {"channel": "unionpay_pc"}).json()
    assert form["form_action"] and form["form_fields"]["txnAmt"] == "384000"


def test_wechat_h5_names_the_callers_address_and_opens_the_cashier(buyer_api, shop):
    placed = _courier_place(buyer_api, shop, "t-5")
    h5 = buyer_api.post(
        f"{API}/{placed['number']}/pay",
        data=json.dumps({"channel": "wechat_h5"}),
        content_type="application/json",
        REMOTE_ADDR="203.0.113.9",
    ).json()
    assert (h5["channel"], h5["qr_code"], h5["jsapi"]) == ("wechat_h5", "", {})
    assert urlsplit(h5["redirect_url"]).path.startswith("/payments/sandbox/wechat/")
    trade = SandboxTrade.objects.get()
    assert trade.extra == {"payer_client_ip": "203.0.113.9"}


def test_wechat_jsapi_answers_the_pay_parameters_signed_by_the_merchant_key(buyer_api, shop):
    placed = _courier_place(buyer_api, shop, "t-6")
    response = _post(
        buyer_api,
        f"/{placed['number']}/pay/wechat-jsapi",
        {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
    )

    assert response.status_code == 200
    body = response.json()
    payment = Payment.objects.get()
    trade = SandboxTrade.objects.get()
    assert (payment.channel, payment.amount, body["payment_number"]) == (
        "wechat_jsapi",
        Decimal("3840.00"),
        payment.out_trade_no,
    )
    assert trade.extra == {"payer_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    jsapi = body["jsapi"]
    assert sorted(jsapi) == ["appId", "nonceStr", "package", "paySign", "signType", "timeStamp"]
    assert (jsapi["appId"], jsapi["package"], jsapi["signType"]) == (
        sandbox_wechat.APPID,
        f"prepay_id=wx{trade.trade_no}",
        "RSA",
    )
    assert jsapi["timeStamp"] == str(
        int(datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC).timestamp())
    )
    # WeChat Pay v3: RSA-SHA256 over appId, timeStamp, nonceStr and package, one a line.
    message = f"{jsapi['appId']}\n{jsapi['timeStamp']}\n{jsapi['nonceStr']}\n{jsapi['package']}\n"
    merchant = public_key_of(sandbox_wechat._material()["merchant"]["public"])
    assert rsa_sha256_verify(merchant, message, jsapi["paySign"])
    assert not rsa_sha256_verify(merchant, message.replace("wx", "wy"), jsapi["paySign"])


def test_wechat_jsapi_without_an_openid_is_refused_before_anything_starts(buyer_api, shop):
    placed = _courier_place(buyer_api, shop, "t-7")
    response = _post(buyer_api, f"/{placed['number']}/pay/wechat-jsapi", {"openid": ""})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    assert Payment.objects.count() == 0


def test_another_members_checkout_is_not_found(buyer_api, shop, client):
    placed = _courier_place(buyer_api, shop, "t-4")
    client.force_login(UserFactory())
    response = _post(client, f"/{placed['number']}/pay", {"channel": "alipay_page"})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Payment.objects.count() == 0
