"""Live chat in two browsers: a shopper opens a chat from a product page, the store's clerk
answers in the workspace, the shopper sees the answer without a reload, then reloads and
sees the whole conversation.

WebSockets need the ASGI application: the test serves it with uvicorn in a thread (pages,
static files and /ws/), as `manage.py serve` does.
"""

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from channels.auth import AuthMiddlewareStack
from channels.layers import channel_layers
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from playwright.sync_api import expect

from config.routing import websocket_urlpatterns
from rongcheng.checkout.tests.buying import build_mall
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.messaging.models import ChatMessage, Conversation

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "pc": {"width": 1280, "height": 900}}


def snap(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def asgi_server(settings, transactional_db):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # A channel layer belongs to the event loop that receives on it: each server (its own
    # thread and loop) gets a fresh one, and the tests after it get theirs.
    channel_layers.backends.clear()
    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    channel_layers.backends.clear()


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return context, page, blocked


def sign_in(page, base: str, identifier: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_identifier", identifier)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login/" not in url)


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
