"""A shopper buys: product → bag → checkout with pick-up → pay at the sandbox Alipay → the
order is paid in 我的订单, and the store sees it with the new-order badge.

Set SCREENSHOT_DIR to keep a picture of each page (bag, checkout, pay, orders) per viewport.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.orders.models import Order


def snap(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def sign_in(page, identifier: str) -> None:
    page.fill("#id_identifier", identifier)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


@pytest.mark.django_db(transaction=True)
def test_a_shopper_buys_for_pick_up_and_the_store_sees_the_paid_order(page, regions, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": "150600"}
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 3)
    mall.clerk_a.set_password(DEFAULT_PASSWORD)
    mall.clerk_a.save(update_fields=["password"])
    base = page.base_url

    page.goto(f"{base}/product/{mall.product.id}/?sku={mall.sku_m.id}")
    page.get_by_role("button", name="加入购物袋").click()
    expect(page.locator("[data-bag-line]")).to_have_count(1)
    expect(page.locator(".bag-summary .total")).to_have_text("¥1280.00")
    snap(page, "bag")

    page.get_by_role("link", name="去结算").click()
    sign_in(page, mall.buyer.username)  # the visitor's bag follows the member
    page.wait_for_url(f"{base}/checkout/**")
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

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    page.goto(f"{base}/login/")
    sign_in(page, mall.clerk_a.username)
    expect(page.locator(".hello")).to_be_visible()
    page.goto(f"{base}/seller/{mall.store_a.id}/orders/")
    expect(page.locator("[data-new-order-badge]")).to_have_text("1")
    expect(page.locator(f'tr[data-order="{order.number}"]')).to_contain_text("待发货")
    snap(page, "seller-orders")
