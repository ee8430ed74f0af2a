"""Live chat in two browsers: a shopper opens a chat from a product page, the store's clerk
answers in the workspace, the shopper sees the answer without a reload, then reloads and
sees the whole conversation.

WebSockets need the ASGI application: the test serves it with uvicorn in a thread (pages,
static files and /ws/), as `manage.py serve` does.
"""

import pytest
from playwright.sync_api import expect

from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.messaging.models import ChatMessage, Conversation
from tests.browser.live import VIEWPORTS, new_page, sign_in, snap


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_a_shopper_chats_with_the_store_that_sells_the_product(
    browser, asgi_server, regions, settings, viewport
):
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": "150600"}
    mall = build_mall(regions)
    mall.stock(mall.store_a, mall.sku_m, 3)
    clerk = mall.clerk_a
    clerk.real_name = "李店员"
    clerk.set_password(DEFAULT_PASSWORD)
    clerk.save()
    base = asgi_server
    shopper_context, shopper, shopper_blocked = new_page(browser, viewport)
    clerk_context, desk, clerk_blocked = new_page(browser, viewport)

    sign_in(shopper, base, mall.buyer.username)
    shopper.goto(f"{base}/product/{mall.product.id}/?sku={mall.sku_m.id}")
    shopper.locator("[data-chat-open]").click()
    expect(shopper.locator(".chat-head h1")).to_have_text("鄂尔多斯 A 店")
    conversation = Conversation.objects.get()
    assert (conversation.store_id, conversation.product_id) == (mall.store_a.id, mall.product.id)
    shopper.fill("[data-chat-input]", "请问这款有 L 码吗？")
    shopper.keyboard.press("Enter")
    expect(shopper.locator(".chat-msg.mine .chat-bubble")).to_have_text("请问这款有 L 码吗？")

    sign_in(desk, base, clerk.username)
    desk.goto(f"{base}/seller/{mall.store_a.id}/chat/?tab=waiting")
    desk.locator(".ws-list a", has_text="李四").click()
    desk.get_by_role("button", name="接入").click()
    expect(desk.locator(".chat-msg.theirs .chat-bubble")).to_have_text("请问这款有 L 码吗？")
    expect(desk.locator(".ws-side")).to_contain_text(mall.buyer.username)
    snap(desk, "chat-workspace")
    desk.fill("[data-chat-input]", "有的，东胜店现货 2 件。")
    desk.get_by_role("button", name="发送").click()

    # No reload: the answer arrives over the socket, with the agent's greeting before it.
    expect(shopper.locator(".chat-msg.theirs .chat-bubble")).to_have_text("有的，东胜店现货 2 件。")
    expect(shopper.locator(".chat-event").last).to_contain_text("客服 李店员 为您服务")
    # The clerk sees the shopper has read it.
    expect(desk.locator(".chat-msg.mine .chat-receipt")).to_have_text("已读")
    snap(shopper, "chat-shopper")

    shopper.reload()
    expect(shopper.locator(".chat-bubble")).to_have_text(
        ["请问这款有 L 码吗？", "有的，东胜店现货 2 件。"]
    )
    assert list(
        ChatMessage.objects.filter(kind="text").order_by("id").values_list("body", flat=True)
    ) == ["请问这款有 L 码吗？", "有的，东胜店现货 2 件。"]
    shopper_context.close()
    clerk_context.close()
    assert shopper_blocked == clerk_blocked == []
