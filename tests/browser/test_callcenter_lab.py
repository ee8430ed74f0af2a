"""A real call to the browser's soft phone: Kamailio and rtpengine in front of the lab engine,
Chromium with fake media devices. The agent's page registers over Kamailio's WebSocket; a
pjsua2 caller dials the hotline and presses 2; the agent answers in the page (WebRTC, through
rtpengine), sees the screen pop, hangs up and ends the wrap-up; the supervisor's wallboard
follows each state."""

import os
import queue
import threading
import time

import pjsua2 as pj
import pytest
from django.db import connections
from playwright.sync_api import expect

from rongcheng.callcenter import cti
from rongcheng.callcenter.lab import LabEngine
from rongcheng.callcenter.lab_proxy import free_port, installed, running
from rongcheng.callcenter.models import Agent, AgentEvent, Call, Recording
from rongcheng.callcenter.prompts import synthesis_available
from rongcheng.callcenter.tests.factories import fresh_engine, grant_supervision, make_agent
from rongcheng.callcenter.tests.sip_phones import Phone, account, peak
from rongcheng.core.testing.factories import UserFactory
from rongcheng.demo.hotline import load_hotline
from tests.browser.conftest import CHROMIUM
from tests.browser.live import VIEWPORTS, new_page, sign_in

A = Agent.State
pytestmark = [
    pytest.mark.telephony,
    pytest.mark.skipif(not installed(), reason="needs Debian's kamailio and rtpengine-daemon"),
    pytest.mark.skipif(not synthesis_available(), reason="espeak-ng speaks the prompts"),
]


@pytest.fixture(scope="module")
def browser():
    """Chromium that grants the microphone and plays a fake one (a beep), and offers its
    loopback address to WebRTC: the lab listens on 127.0.0.1 only."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--allow-loopback-in-peer-connection",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Lab(threading.Thread):
    """Kamailio, rtpengine, the lab engine and the test's caller in a thread of their own:
    pjsua answers to the thread that started it, and CTI's after-commit push cannot run in
    Playwright's thread. `do` hands the thread a step for the caller."""

    def __init__(self, media_dir):
        super().__init__(daemon=True)
        self.media_dir = media_dir
        self.steps: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.caller: Phone | None = None
        self.error: BaseException | None = None

    def run(self):
        port = free_port()
        try:
            with running(hotline_port=port) as self.proxy:
                self.engine = LabEngine(
                    port=port, media_dir=self.media_dir, agents_host=self.proxy.domain
                )
                self.engine.start()
                self.ready.set()
                try:
                    self._serve()
                finally:
                    self.engine.stop()
        except BaseException as error:
            self.error = error  # the test reports it, not only the thread's traceback
            raise
        finally:
            self.ready.set()
            connections.close_all()

    def _serve(self):
        while not self.stopping.is_set():
            while not self.steps.empty():
                self.steps.get()()
            self.engine.run_for(0.05, lambda event: cti.handle(event, engine=self.engine))
        self.engine.endpoint.hangupAllCalls()
        self.engine.run_for(0.5, lambda event: cti.handle(event, engine=self.engine))
        if self.caller is not None:
            self.caller.recorder = None
        self.caller = self.caller_account = None  # gone before the library

    def do(self, step):
        self.steps.put(step)

    def dial(self, number: str, hotline: str, heard) -> None:
        def step():
            self.caller_account = account(pj.Account(), f"sip:{number}@{self.proxy.domain}")
            self.caller = Phone(self.caller_account, heard=heard)
            self.caller.makeCall(f"sip:{hotline}@{self.proxy.domain}", pj.CallOpParam(True))

        self.do(step)


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the lab never got there"
        time.sleep(0.05)


def test_an_agent_answers_a_real_call_in_the_browser_and_the_wallboard_follows(
    browser, asgi_server, settings, media_root, tmp_path
):
    fresh_engine()  # the page's own commands (sign in, ready) need no engine
    load_hotline()
    agent = make_agent("1001", skills={"consult": 3}, user=UserFactory(real_name="孙客服"))
    supervisor = grant_supervision(make_agent("9001", user=UserFactory(real_name="钱班长")).user)
    member = UserFactory(real_name="王小绒", mobile="13800000001")
    lab = Lab(media_root)
    lab.start()
    lab.ready.wait(20)
    assert lab.error is None, lab.error
    try:
        settings.CALLCENTER_SIP_WS_URL = lab.proxy.ws_url
        settings.CALLCENTER_SIP_DOMAIN = lab.proxy.domain
        settings.CSP_PATH_ADDITIONS = {
            **settings.CSP_PATH_ADDITIONS,
            "/callcenter/": {"connect-src": [lab.proxy.ws_url]},
        }
        desk_context, desk, desk_blocked = new_page(browser, VIEWPORTS["pc"])
        board_context, board, board_blocked = new_page(browser, VIEWPORTS["pc"])
        sign_in(desk, asgi_server, agent.user.username)
        sign_in(board, asgi_server, supervisor.username)
        desk.goto(f"{asgi_server}/callcenter/")
        expect(desk.locator("[data-phone-status]")).to_have_text("软电话已注册，来电会在此振铃。")
        expect(desk.locator("[data-cc-lab]")).to_contain_text("实验室电话")
        board.goto(f"{asgi_server}/callcenter/wallboard/")
        on_board = board.locator('[data-board-agent="1001"] [data-board-state]')
        desk.get_by_role("button", name="签入").click()
        expect(desk.locator("[data-cc-state]")).to_have_text("空闲")
        expect(on_board).to_have_text("空闲")

        lab.dial(member.mobile, "4008001234", tmp_path / "menu.wav")
        wait_for(lambda: lab.caller is not None and lab.caller.media is not None)
        time.sleep(1)  # the welcome plays
        lab.do(lambda: lab.caller.dialDtmf("2"))
        expect(desk.locator("[data-cc-state]")).to_have_text("振铃")
        expect(desk.locator("[data-pop-member]")).to_contain_text("王小绒")
        expect(on_board).to_have_text("振铃")

        desk.get_by_role("button", name="接听").click()  # the soft phone's own answer
        expect(desk.locator("[data-cc-state]")).to_have_text("通话中")
        expect(on_board).to_have_text("通话中")
        lab.do(lambda: lab.caller.listen(tmp_path / "agent.wav"))
        time.sleep(2)  # the caller hears the agent's (fake) microphone

        desk.get_by_role("button", name="挂断").click()  # the soft phone's BYE
        expect(desk.locator("[data-cc-state]")).to_have_text("话后整理")
        expect(on_board).to_have_text("话后整理")
        desk.get_by_role("button", name="结束整理").click()
        expect(desk.locator("[data-cc-state]")).to_have_text("空闲")
        expect(on_board).to_have_text("空闲")
        desk_context.close()
        board_context.close()
    finally:
        lab.stopping.set()
        lab.join(20)
    assert lab.error is None, lab.error

    assert desk_blocked == board_blocked == []
    assert peak(tmp_path / "agent.wav") > 1000  # the browser's audio crossed rtpengine
    assert list(
        AgentEvent.objects.filter(agent=agent).order_by("id").values_list("from_state", "to_state")
    ) == [
        (A.SIGNED_OUT, A.IDLE),
        (A.IDLE, A.RINGING),
        (A.RINGING, A.TALKING),
        (A.TALKING, A.WRAP_UP),
        (A.WRAP_UP, A.IDLE),
    ]
    call = Call.objects.select_related("queue").get()
    assert (call.caller, call.agent, call.queue.code, call.outcome) == (
        member,
        agent,
        "consult",
        "answered",
    )
    assert Recording.objects.filter(call=call).count() == 1
