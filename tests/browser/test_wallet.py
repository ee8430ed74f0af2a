"""A member tops up 绒易付 at the sandbox Alipay, sets the payment password, pays an order from
the wallet at the cashier, and asks for part of the rest back.

Set SCREENSHOT_DIR to keep a picture of each page (wallet, password, pay, withdrawals).
"""

import pytest
from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import build_mall, buy
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.ledger.models import Withdrawal
from rongcheng.orders.models import Order
from tests.browser.buying import sign_in, snap


@pytest.mark.django_db(transaction=True)
def test_a_member_tops_up_pays_from_the_wallet_and_withdraws(page, regions):
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 1)
    checkout = buy(mall, mall.sku_m, 1, pickup=mall.store_a)
    base = page.base_url

    page.goto(f"{base}/login/?next=/member/wallet/")
    sign_in(page, mall.buyer.username)
    expect(page.locator("[data-balance]")).to_have_text("¥0.00")
    page.fill("#id_amount", "2000.00")
    snap(page, "wallet")
    page.get_by_role("button", name="去充值").click()
    expect(page.locator("[data-amount]")).to_have_text("2000.00")
    page.get_by_role("button", name="付款", exact=True).click()
    expect(page.locator("[data-balance]")).to_have_text("¥2000.00")
    expect(page.locator(".wallet-statement")).to_contain_text("钱包充值")

    page.get_by_role("link", name="设置支付密码").click()
    page.fill("#id_password", "802417")
    page.fill("#id_login_password", DEFAULT_PASSWORD)
    snap(page, "wallet-password")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-success")).to_contain_text("支付密码已设置")

    page.goto(f"{base}/pay/{checkout.number}/")
    page.fill("#wallet-password", "802417")
    snap(page, "pay-wallet")
    page.get_by_role("button", name="余额支付 ¥1280.00").click()
    expect(page.locator("[data-pay-result]")).to_have_attribute("data-pay-result", "paid")
    order = checkout.orders.get()
    assert (order.status, order.payment_method) == (Order.Status.PAID, "wallet")

    page.goto(f"{base}/member/wallet/withdrawals/")
    page.fill("#id_amount", "300.00")
    page.fill("#id_payee_name", "李四")
    page.fill("#id_payee_account", "lisi@example.com")
    page.fill("#id_password", "802417")
    page.get_by_role("button", name="申请提现").click()
    expect(page.locator(".withdrawal-row")).to_contain_text("待审核")
    snap(page, "withdrawals")
    assert Withdrawal.objects.get().amount == 300

    page.goto(f"{base}/member/wallet/")
    expect(page.locator("[data-balance]")).to_have_text("¥420.00")
    page.get_by_role("link", name="绒易付服务条款").click()
    expect(page.locator("h1")).to_have_text("绒易付服务条款")
