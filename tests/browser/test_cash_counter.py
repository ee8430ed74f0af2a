"""A clerk takes a buyer's cash at the store's counter (FUL-1): finds the checkout by its
order number, checks the goods and the amount, takes the cash; the order is paid."""

import pytest
from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import build_mall, buy
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.orders.models import Order


@pytest.mark.django_db(transaction=True)
def test_a_clerk_takes_cash_for_a_pickup_order(page, regions):
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 2)
    checkout = buy(mall, mall.sku_m, 2, pickup=mall.store_a)
    order = checkout.orders.get()
    mall.clerk_a.set_password(DEFAULT_PASSWORD)
    mall.clerk_a.save(update_fields=["password"])

    base = page.base_url
    page.goto(base + "/login/")
    page.fill("#id_identifier", mall.clerk_a.mobile)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(base + f"/seller/{mall.store_a.id}/cash/")
    page.get_by_placeholder("订单号或买家手机号").fill(order.number)
    page.get_by_role("button", name="查找").click()
    found = page.locator(f'[data-checkout="{checkout.number}"]')
    expect(found).to_contain_text("经典圆领羊绒衫")
    expect(found.locator(".cash-due")).to_contain_text("¥2560.00")

    found.get_by_role("button", name="收取现金").click()

    expect(page.locator(".flash-success")).to_contain_text(
        f"已收取现金 ¥2560.00，结算单 {checkout.number} 已付款。"
    )
    expect(page.locator(f'[data-checkout="{checkout.number}"]')).to_have_count(0)
    expect(page.locator("[data-new-order-badge]")).to_have_text("1")
    order.refresh_from_db()
    assert (order.status, order.payment_method) == (Order.Status.PAID, "cash")
