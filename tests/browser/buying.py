"""Steps the buying journeys share: screenshots, signing in, the way from a product to the
checkout page, and the store's staff finding the paid order in the seller center."""

import os
from pathlib import Path

from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import Mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.orders.models import Order
from rongcheng.stores.models import Store


def snap(page, name: str) -> None:
    """Keep a picture of the page per viewport when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def sign_in(page, identifier: str) -> None:
    page.fill("#id_identifier", identifier)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def bag_and_check_out(page, mall: Mall, *, price: str) -> None:
    """A visitor puts the medium sweater in the bag, goes to the checkout and signs in there
    as the buyer (the visitor's bag follows the member)."""
    base = page.base_url
    page.goto(f"{base}/product/{mall.product.id}/?sku={mall.sku_m.id}")
    page.get_by_role("button", name="加入购物袋").click()
    expect(page.locator("[data-bag-line]")).to_have_count(1)
    expect(page.locator(".bag-summary .total")).to_have_text(f"¥{price}")
    snap(page, "bag")
    page.get_by_role("link", name="去结算").click()
    sign_in(page, mall.buyer.username)
    page.wait_for_url(f"{base}/checkout/**")


def store_sees_the_paid_order(page, *, store: Store, clerk, order: Order) -> None:
    """The buyer signs out; the store's clerk finds the order awaiting shipment, with the
    new-order badge."""
    clerk.set_password(DEFAULT_PASSWORD)
    clerk.save(update_fields=["password"])
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    page.goto(f"{page.base_url}/login/")
    sign_in(page, clerk.username)
    expect(page.locator(".hello")).to_be_visible()
    page.goto(f"{page.base_url}/seller/{store.id}/orders/")
    expect(page.locator("[data-new-order-badge]")).to_have_text("1")
    expect(page.locator(f'tr[data-order="{order.number}"]')).to_contain_text("待发货")
    snap(page, "seller-orders")
