"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's own browser downloads are never used; the tests skip with a reason when
/usr/bin/chromium (Debian package `chromium`) is missing.
"""

import os
import shutil

import pytest

from tests.browser.live import asgi_server  # noqa: F401 - journeys with WebSockets

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.browser)
        if not os.path.exists(CHROMIUM):
            item.add_marker(pytest.mark.skip(reason="needs Debian's chromium at /usr/bin/chromium"))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; the ORM calls the
    # tests make (e.g. reading the sandbox SMS outbox) are plain synchronous calls in that
    # thread. One browser per module, not per session: a loop left running would make every
    # later test on the same worker that calls async_to_sync (WebSocket tests) fail.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(
    params=[{"width": 375, "height": 812}, {"width": 1280, "height": 900}], ids=["phone", "pc"]
)
def page(request, browser, live_server):
    context = browser.new_context(viewport=request.param, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    # Chromium reports every script, style or source the Content-Security-Policy blocked.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], "the page needs something its Content-Security-Policy refuses"
