"""Browsing journeys: home → category → product → pick a SKU; nearby stores by position."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rongcheng.catalog.models import ProductImage, Sku
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import RegionTreeFactory
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.storefront.tests.browse_data import DAY, ORDOS, build_catalogue, build_home

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "pc": {"width": 1280, "height": 900}}
# 东胜体验店 in the test catalogue.
DONGSHENG = {"latitude": 39.817, "longitude": 109.977}


@pytest.fixture
def shop(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": ORDOS}
    RegionTreeFactory.create_tree()
    mall = build_catalogue(12)
    build_home(mall)
    sweater = make_product(
        name="经典圆领羊绒衫",
        category=mall.knit,
        brand=mall.erdos,
        colours=("驼色", "黑色"),
        sizes=("S", "M"),
        price=Decimal("1280.00"),
        sales_count=999,
    )
    skus = {(sku.colour, sku.size): sku for sku in sweater.skus.all()}
    now = timezone.now()
    Sku.objects.filter(id=skus["黑色", "M"].id).update(
        special_price=Decimal("999.00"), special_starts_at=now - DAY, special_ends_at=now + DAY
    )
    for position, colour in enumerate(("驼色", "黑色")):
        ProductImage.objects.create(
            product=sweater,
            image=f"catalog/products/rc/{position}.jpg",
            thumbnail=f"catalog/products/rc/thumbs/{position}.jpg",
            colour=colour,
            alt=f"{colour}正面",
            position=position,
        )
    StoreListing.objects.create(store=mall.store_near, product=sweater)
    Stock.objects.create(store=mall.store_near, sku=skus["驼色", "S"], on_hand=3)
    Stock.objects.create(store=mall.store_near, sku=skus["黑色", "M"], on_hand=8)
    return mall


@pytest.mark.django_db(transaction=True)
def test_home_to_category_to_product_and_pick_a_sku(page, shop):
    page.goto(page.base_url + "/")
    expect(page.locator(".home-banner img")).to_have_attribute("alt", "冬季羊绒节")
    page.locator(".mainnav").get_by_role("link", name="女装").click()
    expect(page.locator("h1")).to_have_text("女装")
    expect(page).to_have_title(re.compile("^女装 · 绒城购"))

    page.locator(".browse-main .pcard").first.click()
    expect(page.locator("h1")).to_have_text("经典圆领羊绒衫")
    price = page.locator("[data-price] .price")
    stock = page.locator("[data-stock]")
    expect(price).to_have_text("¥1280.00")
    expect(stock).to_contain_text("鄂尔多斯市有货 · 库存 3 件")

    # The picker changes price, stock and address in place, without loading a page.
    page.evaluate("window.stayedOnPage = true")
    page.locator("[data-sku-picker] [data-colour='黑色']").click()
    expect(page.locator("[data-chosen]")).to_have_text("黑色 / S")
    expect(stock).to_contain_text("鄂尔多斯市暂无库存")
    page.locator("[data-sku-picker] [data-size='M']").click()
    expect(page.locator("[data-chosen]")).to_have_text("黑色 / M")
    expect(price).to_have_text("¥999.00")
    expect(page.locator("[data-price] .price-regular")).to_have_text("¥1280.00")
    expect(page.locator("[data-special-note]")).to_be_visible()
    expect(stock).to_contain_text("鄂尔多斯市有货 · 库存 8 件")
    main_image = page.locator("[data-gallery-main]")
    expect(main_image).to_have_attribute("src", "/media/catalog/products/rc/1.jpg")  # 黑色
    page.locator("[data-gallery-thumb]").first.click()
    expect(main_image).to_have_attribute("src", "/media/catalog/products/rc/0.jpg")
    expect(main_image).to_have_attribute("alt", "驼色正面")
    assert page.evaluate("window.stayedOnPage") is True
    assert re.search(r"\?sku=\d+$", page.url)

    # The address the picker left is the same page for a fresh visitor.
    page.reload()
    expect(page.locator("[data-chosen]")).to_have_text("黑色 / M")
    expect(price).to_have_text("¥999.00")


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def located_page(request, browser, live_server):
    """A browser that shares the position of 东胜体验店 when asked."""
    context = browser.new_context(
        viewport=VIEWPORTS[request.param],
        locale="zh-CN",
        geolocation=DONGSHENG,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.kind = request.param
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_nearby_stores_by_the_devices_position(located_page, shop):
    page = located_page
    page.goto(page.base_url + "/stores/")
    names = page.locator(".store-card h2 a")
    if page.kind == "pc":
        # On a PC: every store of the visitor's city, until the visitor asks for distance.
        expect(page).to_have_title(re.compile("^鄂尔多斯市的门店"))
        expect(names).to_have_text(["东胜体验店", "康巴什旗舰店", "伊金霍洛店"])
        page.get_by_role("button", name="按我的位置排序").click()
    # On a phone the page asks for the position by itself and reloads sorted by distance.
    expect(page).to_have_url(re.compile(r"/stores/\?lat=39\.817000&lng=109\.977000$"))
    expect(page).to_have_title(re.compile("^离我最近的门店"))
    expect(names).to_have_text(["东胜体验店", "康巴什旗舰店", "伊金霍洛店"])
    expect(page.locator(".store-card .distance").first).to_have_text("0.0 公里")
    expect(
        page.locator(".store-card").first.get_by_role("link", name="在地图中查看")
    ).to_have_attribute(
        "href", re.compile(r"^https://uri\.amap\.com/marker\?position=109\.977000%2C39\.817000")
    )
