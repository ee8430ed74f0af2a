"""A store clerk's journey in the seller center: delist a product, receive stock."""

import pytest
from playwright.sync_api import expect

from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.inventory.services import listing_set, stock_receive
from rongcheng.stores.models import StoreMembership
from rongcheng.stores.tests.factories import StoreFactory

MOBILE = "13812340012"


@pytest.mark.django_db(transaction=True)
def test_a_clerk_delists_a_product_and_receives_stock(page, regions):
    store = StoreFactory(city=regions["150600"], name="东胜旗舰店")
    clerk = UserFactory(mobile=MOBILE, real_name="李店员")
    StoreMembership.objects.create(store=store, user=clerk, role=StoreMembership.Role.CLERK)
    scarf = make_product(name="羊绒围巾", style_code="W1001", sizes=("F",))
    sweater = make_product(name="圆领羊绒衫", style_code="S2001", sizes=("M",))
    listing_set(actor=clerk, store_id=store.id, product_ids=[scarf.id, sweater.id], listed=True)
    sku = sweater.skus.get()
    stock_receive(actor=clerk, store_id=store.id, lines=[(sku.id, 3)])

    base = page.base_url
    page.goto(base + "/login/")
    page.fill("#id_identifier", MOBILE)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("link", name="卖家中心").click()
    expect(page.locator(".figures")).to_contain_text("在售商品")

    page.locator(".seller-nav").get_by_role("link", name="商品上下架").click()
    page.get_by_label("选择 羊绒围巾").check()
    page.get_by_role("button", name="下架所选").click()
    expect(page.locator(".flash-success")).to_contain_text("已下架 1 件商品。")
    expect(page.locator("tr", has_text="羊绒围巾")).to_contain_text("未上架")
    assert not StoreListing.objects.get(store=store, product=scarf).is_listed
    assert StoreListing.objects.get(store=store, product=sweater).is_listed

    page.locator(".seller-nav").get_by_role("link", name="库存查询").click()
    page.locator(f'tr[data-sku="{sku.code}"]').get_by_role("link", name="入库 / 调整").click()
    expect(page.locator("#id_receive-sku")).to_have_value(sku.code)
    page.fill("#id_receive-quantity", "5")
    page.get_by_role("button", name="确认入库").click()
    expect(page.locator(".flash-success")).to_contain_text(f"已入库 {sku.code} × 5。")
    expect(page.locator(f'tr[data-sku="{sku.code}"] [data-on-hand]')).to_have_text("8")
    assert Stock.objects.get(store=store, sku=sku).on_hand == 8
