"""Journeys that need WebSockets: the ASGI application served by uvicorn in a thread (pages,
static files and /ws/), as `manage.py serve` does, and pages in their own browser contexts."""

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

from config.routing import websocket_urlpatterns
from rongcheng.core.testing.factories import DEFAULT_PASSWORD

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
