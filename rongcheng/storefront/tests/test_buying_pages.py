"""The buying pages: product page buttons, the bag for visitors and members, checkout with
pick-up or courier, paying through the sandbox Alipay, WeChat Pay and UnionPay, and 我的订单."""

import datetime
import re
from decimal import Decimal
from html import unescape
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from rongcheng.cart.models import BagLine
from rongcheng.cart.services import bag_line_add
from rongcheng.catalog.tests.factories import make_product
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.tests.buying import Mall, build_mall, place
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.inventory.services import stock_receive
from rongcheng.orders.models import CancellationRequest, Order
from rongcheng.payments.models import Payment
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.sandbox import unionpay as sandbox_unionpay
from rongcheng.payments.sandbox import wechat as sandbox_wechat
from rongcheng.payments.services import payment_notification_handle
from rongcheng.seo.page_cache import HEADER

pytestmark = pytest.mark.django_db

ORDOS = "150600"
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mall(regions, settings, clock) -> Mall:
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": ORDOS}
    mall = build_mall(regions, buyer=UserFactory(real_name="李四", mobile="13900000001"))
    mall.stock(mall.store_a, mall.sku_m, 3)
    return mall


def signed_in(client, user):
    client.force_login(user)
    return client


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_the_product_page_offers_both_buttons_for_a_sku_in_stock_and_neither_when_sold_out(
    client, mall
):
    url = reverse("storefront:product", args=[mall.product.id])
    html = client.get(url, {"sku": mall.sku_m.id}).content.decode()
    assert "data-buy-now>立即购买</button>" in html
    assert "data-add-to-bag>加入购物袋</button>" in html
    assert 'class="buy-buttons" data-buy-buttons>' in html  # shown
    assert "csrfmiddlewaretoken" not in html  # the cached page holds no token
    assert hidden(html, "sku") == str(mall.sku_m.id)

    html = client.get(url, {"sku": mall.sku_l.id}).content.decode()
    assert "data-buy-buttons hidden>" in html
    assert "data-sold-out>该规格已售罄</p>" in html


def test_the_product_page_stays_cached_for_visitors(client, mall):
    url = reverse("storefront:product", args=[mall.product.id])
    assert client.get(url).headers[HEADER] == "miss"
    assert client.get(url).headers[HEADER] == "hit"
    response = client.get(reverse("storefront:bag_token"))
    assert response.status_code == 204
    assert "csrftoken" in response.cookies


def test_a_visitor_bag_lives_in_the_session_and_follows_the_member_at_login(client, mall):
    response = client.post(reverse("storefront:bag_add"), {"sku": mall.sku_m.id, "quantity": 2})
    assert response.status_code == 302 and response.url == reverse("storefront:bag")
    html = client.get(reverse("storefront:bag")).content.decode()
    assert "经典圆领羊绒衫" in html and "¥2560.00" in html
    assert "data-bag-count" not in html  # the header count is for members only
    assert not BagLine.objects.exists()

    client.post(
        reverse("storefront:login"),
        {"identifier": mall.buyer.username, "password": DEFAULT_PASSWORD},
    )
    line = BagLine.objects.get(bag__user=mall.buyer)
    assert (line.sku_id, line.quantity, line.selected) == (mall.sku_m.id, 2, True)
    html = client.get(reverse("storefront:bag")).content.decode()
    assert '<span class="bag-count" data-bag-count>2</span>' in html


def test_the_bag_changes_quantities_ticks_and_removes_lines(client, mall):
    signed_in(client, mall.buyer)
    mall.stock(mall.store_b, mall.sku_l, 2)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_l.id)
    update = reverse("storefront:bag_update")

    client.post(update, {"action": "quantity", "sku": mall.sku_m.id, "quantity": 3})
    client.post(update, {"action": "tick", "ticked": [mall.sku_l.id]})
    lines = dict(BagLine.objects.filter(bag__user=mall.buyer).values_list("sku_id", "quantity"))
    assert lines == {mall.sku_m.id: 3, mall.sku_l.id: 1}
    ticked = BagLine.objects.filter(bag__user=mall.buyer, selected=True)
    assert list(ticked.values_list("sku_id", flat=True)) == [mall.sku_l.id]

    response = client.post(update, {"action": "quantity", "sku": mall.sku_m.id, "quantity": 4})
    assert BagLine.objects.get(sku=mall.sku_m).quantity == 3  # only 3 units left: refused
    html = client.get(response.url).content.decode()
    assert "flash-error" in html

    client.post(update, {"action": "remove", "sku": mall.sku_l.id})
    assert list(BagLine.objects.values_list("sku_id", flat=True)) == [mall.sku_m.id]


def test_the_bag_marks_a_line_that_can_no_longer_be_bought(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=3)
    mall.buyer = UserFactory(real_name="王五", mobile="13900000002")
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    place(mall.buyer, pickup=mall.store_a)
    html = client.get(reverse("storefront:bag")).content.decode()
    assert '<p class="bag-problem" role="note">库存不足</p>' in html
    assert "disabled" in html.split("data-bag-line")[1].split("bag-thumb")[0]


def test_buy_now_ticks_that_line_alone_and_opens_checkout(client, mall):
    signed_in(client, mall.buyer)
    mall.stock(mall.store_a, mall.sku_l, 1)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_l.id)
    response = client.post(
        reverse("storefront:bag_add"), {"sku": mall.sku_m.id, "quantity": 1, "buy_now": "1"}
    )
    assert response.url == reverse("storefront:checkout")
    ticked = BagLine.objects.filter(bag__user=mall.buyer, selected=True)
    assert list(ticked.values_list("sku_id", flat=True)) == [mall.sku_m.id]


def test_checkout_and_the_buyer_center_need_a_member(client, mall):
    for name, args in (
        ("checkout", []),
        ("member_orders", []),
        ("pay", ["20260302123456789012"]),
    ):
        response = client.get(reverse(f"storefront:{name}", args=args))
        assert response.status_code == 302 and response.url.startswith(reverse("storefront:login"))


def _place_pickup(client, mall) -> Checkout:
    html = client.get(reverse("storefront:checkout"), {"delivery": "pickup"}).content.decode()
    assert "鄂尔多斯 A 店" in html
    assert "由" not in html.split("包裹 1")[1][:40]  # pick-up is said as such
    response = client.post(
        reverse("storefront:checkout"),
        {
            "delivery": "pickup",
            "store": hidden(html, "store"),
            "token": hidden(html, "token"),
            "total_fen": hidden(html, "total_fen"),
            "note": "请包装成礼物",
        },
    )
    checkout = Checkout.objects.get(buyer=mall.buyer)
    assert response.url == reverse("storefront:pay", args=[checkout.number])
    return checkout


def test_checkout_with_pick_up_then_paying_by_alipay_shows_the_real_status(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=2)
    checkout = _place_pickup(client, mall)
    order = checkout.orders.get()
    assert (order.store_id, order.note, order.total) == (
        mall.store_a.id,
        "请包装成礼物",
        Decimal("2560.00"),
    )

    pay_url = reverse("storefront:pay", args=[checkout.number])
    html = client.get(pay_url).content.decode()
    assert 'value="alipay"' in html and "¥2560.00" in html
    assert 'value="wechat"' in html and 'value="unionpay"' in html
    response = client.post(pay_url, {"method": "alipay"})
    redirect = urlsplit(response.url)
    assert redirect.path == "/payments/sandbox/alipay/gateway.do"
    payment = Payment.objects.get()
    assert (payment.channel, payment.reference) == ("alipay_page", checkout.number)

    result_url = reverse("storefront:pay_result", args=[checkout.number])
    # Back from the cashier before the notification: not paid, whatever the URL says.
    html = client.get(result_url, {"trade_status": "TRADE_SUCCESS"}).content.decode()
    assert 'data-pay-result="waiting"' in html

    sandbox_alipay.open_cashier(redirect.query)
    _trade, body = sandbox_alipay.trade_pay(payment.out_trade_no)
    payment_notification_handle(provider="alipay", body=body.encode(), headers={})
    html = client.get(result_url).content.decode()
    assert 'data-pay-result="paid"' in html and "实付 ¥2560.00" in html

    html = client.get(reverse("storefront:member_orders"), {"tab": "awaiting_shipment"}).content
    assert f'data-order="{order.number}"'.encode() in html
    html = client.get(reverse("storefront:member_order", args=[order.number])).content.decode()
    assert "支付成功（支付宝）" in html and "申请取消" in html


def test_paying_by_wechat_shows_its_qr_code_and_the_notification_pays(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    checkout = _place_pickup(client, mall)
    response = client.post(reverse("storefront:pay", args=[checkout.number]), {"method": "wechat"})
    html = response.content.decode()
    payment = Payment.objects.get()
    assert payment.channel == "wechat_native"
    assert "<svg" in html and f"/payments/sandbox/wechat/{payment.out_trade_no}/" in html

    _trade, body, headers = sandbox_wechat.paid_notification(payment.out_trade_no)
    payment_notification_handle(provider="wechat", body=body.encode(), headers=headers)
    html = client.get(reverse("storefront:pay_result", args=[checkout.number])).content.decode()
    assert 'data-pay-result="paid"' in html and "实付 ¥1280.00" in html


def test_paying_by_unionpay_posts_its_signed_form_and_the_return_post_changes_nothing(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id, quantity=1)
    checkout = _place_pickup(client, mall)
    response = client.post(
        reverse("storefront:pay", args=[checkout.number]), {"method": "unionpay"}
    )
    html = response.content.decode()
    payment = Payment.objects.get()
    assert payment.channel == "unionpay_pc"
    assert "data-auto-submit" in html and 'name="signature"' in html
    assert f'name="orderId" value="{payment.out_trade_no}"' in html

    result_url = reverse("storefront:pay_result", args=[checkout.number])
    # UnionPay brings the buyer back with a cross-site POST claiming success: it only redirects.
    response = client.post(result_url, {"respCode": "00"})
    assert response.status_code == 302 and response.url == result_url
    assert 'data-pay-result="waiting"' in client.get(result_url).content.decode()

    # The browser posts the form to the (sandbox) UnionPay gateway, which opens its cashier.
    action = re.search(r'action="([^"]+)"', html).group(1)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    opened = client.post(action, {name: unescape(value) for name, value in fields.items()})
    assert opened.status_code == 302
    _trade, body, headers = sandbox_unionpay.paid_notification(payment.out_trade_no)
    payment_notification_handle(provider="unionpay", body=body.encode(), headers=headers)
    assert 'data-pay-result="paid"' in client.get(result_url).content.decode()


def test_a_changed_price_asks_again_with_the_new_total(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    html = client.get(reverse("storefront:checkout"), {"delivery": "pickup"}).content.decode()
    mall.sku_m.price = Decimal("1380.00")
    mall.sku_m.save(update_fields=["price"])
    response = client.post(
        reverse("storefront:checkout"),
        {
            "delivery": "pickup",
            "store": hidden(html, "store"),
            "token": hidden(html, "token"),
            "total_fen": hidden(html, "total_fen"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "应付总额现为 ¥1380.00" in page
    assert hidden(page, "total_fen") == "138000"
    assert not Checkout.objects.exists()


def test_checkout_asks_for_real_name_and_mobile_first(client, mall):
    member = UserFactory(real_name="", mobile=None)
    signed_in(client, member)
    bag_line_add(user=member, sku_id=mall.sku_m.id)
    html = client.get(reverse("storefront:checkout"), {"delivery": "pickup"}).content.decode()
    assert "首次下单前，请先填写真实姓名并绑定手机号。" in html
    response = client.post(
        reverse("storefront:checkout"),
        {
            "delivery": "pickup",
            "store": hidden(html, "store"),
            "token": hidden(html, "token"),
            "total_fen": hidden(html, "total_fen"),
        },
    )
    assert "下单前请先在会员中心填写真实姓名并绑定手机号。" in response.content.decode()
    assert not Checkout.objects.exists()


def test_the_buyer_cancels_an_unpaid_order_and_asks_to_cancel_a_paid_one(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    order = _place_pickup(client, mall).orders.get()
    client.post(reverse("storefront:member_order_change", args=[order.number]), {"note": "改"})
    assert Order.objects.get(pk=order.pk).note == "改"
    client.post(reverse("storefront:member_order_cancel", args=[order.number]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED

    other = UserFactory(real_name="王五", mobile="13900000002")
    signed_in(client, other)
    response = client.post(reverse("storefront:member_order_cancel", args=[order.number]))
    assert response.status_code == 302  # refused with a message, nothing changed
    response = client.get(reverse("storefront:member_order", args=[order.number]))
    assert response.status_code == 404
    assert not CancellationRequest.objects.exists()


def test_order_pages_take_public_numbers_only(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    order = _place_pickup(client, mall).orders.get()
    html = client.get(reverse("storefront:member_orders")).content.decode()
    assert f"/member/orders/{order.number}/" in html
    assert f"/member/orders/{order.pk}/" not in html


# --- Query bounds: the same for 1 and 20 lines or orders ------------------------------------

BAG_QUERIES = 11
CHECKOUT_QUERIES = 18
ORDERS_QUERIES = 12


def _lines(mall: Mall, count: int) -> list:
    """`count` SKUs of one product, listed and stocked in store A, in the buyer's bag."""
    product = make_product(name="羊绒披肩", sizes=tuple(f"S{n:02d}" for n in range(count)))
    mall.list(mall.store_a, product)
    skus = list(product.skus.all())
    stock_receive(actor=mall.admin, store_id=mall.store_a.id, lines=[(s.id, 5) for s in skus])
    for sku in skus:
        bag_line_add(user=mall.buyer, sku_id=sku.id)
    return skus


@pytest.mark.parametrize("count", [1, 20])
def test_the_bag_page_costs_the_same_queries_for_1_and_20_lines(
    client, mall, count, django_assert_max_num_queries
):
    _lines(mall, count)
    signed_in(client, mall.buyer)
    with django_assert_max_num_queries(BAG_QUERIES):
        html = client.get(reverse("storefront:bag")).content.decode()
    assert html.count("data-bag-line") == count


@pytest.mark.parametrize("count", [1, 20])
def test_the_checkout_page_costs_the_same_queries_for_1_and_20_lines(
    client, mall, count, django_assert_max_num_queries
):
    _lines(mall, count)
    signed_in(client, mall.buyer)
    with django_assert_max_num_queries(CHECKOUT_QUERIES):
        html = client.get(reverse("storefront:checkout"), {"delivery": "pickup"}).content
    assert html.decode().count('class="split-line"') == count


@pytest.mark.parametrize("count", [1, 20])
def test_the_order_list_costs_the_same_queries_for_1_and_20_orders(
    client, mall, count, django_assert_max_num_queries
):
    skus = _lines(mall, count)
    signed_in(client, mall.buyer)
    for sku in skus:
        BagLine.objects.filter(bag__user=mall.buyer).update(selected=False)
        BagLine.objects.filter(bag__user=mall.buyer, sku=sku).update(selected=True)
        place(mall.buyer, pickup=mall.store_a)
    with django_assert_max_num_queries(ORDERS_QUERIES):
        html = client.get(reverse("storefront:member_orders"), {"page": 1}).content.decode()
    assert html.count('class="card order-card"') == min(count, 10)


def test_the_bag_speaks_english_at_en(client, mall):
    html = client.get("/en/bag/").content.decode()
    assert "Your bag is empty. Go and find some warm cashmere." in html


def test_checkout_by_courier_uses_the_default_address(client, mall):
    signed_in(client, mall.buyer)
    bag_line_add(user=mall.buyer, sku_id=mall.sku_m.id)
    html = client.get(reverse("storefront:checkout")).content.decode()
    assert hidden(html, "delivery") == "courier"
    assert hidden(html, "address") == str(mall.address.id)
    assert "由 鄂尔多斯 A 店 发货" in html
    client.post(
        reverse("storefront:checkout"),
        {
            "delivery": "courier",
            "address": hidden(html, "address"),
            "token": hidden(html, "token"),
            "total_fen": hidden(html, "total_fen"),
        },
    )
    order = Order.objects.get()
    assert (order.delivery, order.store_id, order.recipient, order.district_id) == (
        "courier",
        mall.store_a.id,
        "李四",
        "150602",
    )
