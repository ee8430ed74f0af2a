"""The heart on product cards: a visitor's click logs in and keeps the product, then the
member's page marks it (asked by script: the cards sit on cached pages) and a click removes
and keeps it again through the favorites API, without a reload."""

import pytest
from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.favorites.models import Favorite


@pytest.mark.django_db(transaction=True)
def test_a_visitor_keeps_a_product_from_its_card_and_the_member_toggles_it(page, regions):
    mall = build_mall(regions)
    heart = page.locator(f'[data-card-favorite="{mall.product.id}"]')
    page.goto(f"{page.base_url}/store/{mall.store_a.id}/")
    expect(heart).to_have_attribute("aria-pressed", "false")
    box = heart.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44

    heart.click()
    page.wait_for_url("**/login/**")
    page.fill("#id_identifier", mall.buyer.username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="加入收藏").click()
    page.wait_for_url(f"**/store/{mall.store_a.id}/")
    expect(heart).to_have_attribute("aria-pressed", "true")
    assert list(Favorite.objects.values_list("owner_id", "product_id")) == [
        (mall.buyer.id, mall.product.id)
    ]

    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "false")
    assert not Favorite.objects.exists()
    page.reload()
    expect(heart).to_have_attribute("aria-pressed", "false")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    assert Favorite.objects.get().product_id == mall.product.id
