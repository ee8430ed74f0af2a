"""A shopper buys: product → bag → checkout with pick-up → pay at the sandbox Alipay, or with
courier delivery to an address → pay from the wallet; the order is paid in 我的订单, and the
shipping store sees it with the new-order badge.

Set SCREENSHOT_DIR to keep a picture of each page (bag, checkout, pay, orders) per viewport.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate
from rongcheng.fulfillment.services import fee_rule_save, fee_template_save
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.wallet import wallet_set_payment_password
from rongcheng.orders.models import Order
from tests.browser.buying import bag_and_check_out, snap, store_sees_the_paid_order


@pytest.mark.django_db(transaction=True)
def test_a_shopper_buys_for_pick_up_and_the_store_sees_the_paid_order(page, regions, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": "150600"}
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 3)

    bag_and_check_out(page, mall, price="1280.00")
    page.locator(".delivery-tab", has_text="门店自提").click()
    expect(page.locator(".choice.current")).to_contain_text("鄂尔多斯 A 店")
    expect(page.locator("[data-total]")).to_have_text("¥1280.00")
    page.fill("#note", "请帮忙包装")
    snap(page, "checkout")
    page.get_by_role("button", name="提交订单").click()

    expect(page.locator(".pay-amount")).to_contain_text("¥1280.00")
    snap(page, "pay")
    page.get_by_role("button", name="立即付款 ¥1280.00").click()
    expect(page.locator("[data-amount]")).to_have_text("1280.00")
    page.get_by_role("button", name="付款", exact=True).click()
    expect(page.locator("[data-pay-result]")).to_have_attribute("data-pay-result", "paid")

    order = Order.objects.get()
    assert (order.status, order.store_id, order.note) == (
        Order.Status.PAID,
        mall.store_a.id,
        "请帮忙包装",
    )
    page.get_by_role("link", name="查看我的订单").click()
    card = page.locator(f'[data-order="{order.number}"]')
    expect(card.locator(".order-status")).to_have_text("待发货")
    snap(page, "orders")
    card.get_by_role("link", name="订单详情").click()
    expect(page.locator(".timeline")).to_contain_text("支付成功（支付宝）")
    snap(page, "order")

    store_sees_the_paid_order(page, store=mall.store_a, clerk=mall.clerk_a, order=order)


@pytest.mark.django_db(transaction=True)
def test_a_member_has_it_sent_by_courier_pays_from_the_wallet_and_the_store_sees_it(page, regions):
    mall = build_mall(regions)
    mall.stock(mall.store_b, mall.sku_m, 2)  # only the farther Ordos store has it
    template = fee_template_save(
        template=ShippingFeeTemplate(name="按件计费", basis="piece", is_active=True)
    )
    fee_rule_save(
        rule=ShippingFeeRule(
            template=template,
            first_units=1,
            first_fee=Decimal("12.00"),
            additional_units=1,
            additional_fee=Decimal("5.00"),
        )
    )
    wallet_set_payment_password(user=mall.buyer, password="802417", login_password=DEFAULT_PASSWORD)
    post_wallet_topup(
        member=mall.buyer, gateway="alipay", reference="payment:TOPUP", amount=Decimal("1500.00")
    )

    bag_and_check_out(page, mall, price="1280.00")
    expect(page.locator(".delivery-tab.current")).to_contain_text("快递到家")
    expect(page.locator(".choice.current")).to_contain_text("鄂尔多斯大街 1 号")
    expect(page.locator(".split-head")).to_contain_text("由 鄂尔多斯 B 店 发货")
    expect(page.locator(".split-foot")).to_contain_text("运费 ¥12.00")
    expect(page.locator("[data-total]")).to_have_text("¥1292.00")
    snap(page, "checkout-courier")
    page.get_by_role("button", name="提交订单").click()

    expect(page.locator(".pay-amount")).to_contain_text("¥1292.00")
    page.fill("#wallet-password", "802417")
    snap(page, "pay-wallet")
    page.get_by_role("button", name="余额支付 ¥1292.00").click()
    expect(page.locator("[data-pay-result]")).to_have_attribute("data-pay-result", "paid")

    order = Order.objects.get()
    assert (order.status, order.store_id, order.delivery, order.payment_method) == (
        Order.Status.PAID,
        mall.store_b.id,
        "courier",
        "wallet",
    )
    assert (order.shipping_fee, order.total, order.address_detail) == (
        Decimal("12.00"),
        Decimal("1292.00"),
        "鄂尔多斯大街 1 号",
    )
    page.get_by_role("link", name="查看我的订单").click()
    card = page.locator(f'[data-order="{order.number}"]')
    expect(card.locator(".order-status")).to_have_text("待发货")
    card.get_by_role("link", name="订单详情").click()
    expect(page.locator(".timeline")).to_contain_text("支付成功（绒易付余额）")
    snap(page, "order-courier")
    page.goto(f"{page.base_url}/member/wallet/")
    expect(page.locator("[data-balance]")).to_have_text("¥208.00")

    store_sees_the_paid_order(page, store=mall.store_b, clerk=mall.clerk_b, order=order)
