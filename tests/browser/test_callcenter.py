"""The call center in two browsers, with the in-process engine: the test plays the telephony
engine, feeding cti the events a real engine would send once it has carried out the page's
commands. An agent signs in, a member's call rings in the page with the screen pop, the agent
answers, hangs up and ends the wrap-up; the supervisor's wallboard follows every state."""

import threading
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rongcheng.callcenter import callbacks, cti
from rongcheng.callcenter.engine import Answered, CallOffered, Dtmf, Event, FakeEngine, HungUp
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallbackRequest, CallLeg
from rongcheng.callcenter.tests.factories import (
    fresh_engine,
    grant_supervision,
    make_agent,
    make_callback,
    make_queue,
    make_waiting_call,
)
from rongcheng.core.testing.factories import UserFactory
from tests.browser.live import VIEWPORTS, new_page, sign_in, snap

A = Agent.State


def in_worker(target, *args, **kwargs) -> None:
    """Run as the engine's worker would, in a thread of its own (this thread runs Playwright's
    event loop, where the after-commit push cannot run)."""
    worker = threading.Thread(target=target, args=args, kwargs=kwargs)
    worker.start()
    worker.join(timeout=10)


def engine_reports(engine: FakeEngine, event: Event) -> None:
    in_worker(cti.handle, event, engine=engine)


def command_sent(engine: FakeEngine, command: tuple) -> None:
    """Wait until the page's action has reached the engine, as the engine would."""
    deadline = time.monotonic() + 10
    while command not in engine.commands:
        assert time.monotonic() < deadline, f"{command} never sent: {engine.commands}"
        time.sleep(0.05)


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_an_agent_answers_a_call_with_the_screen_pop_and_the_wallboard_follows(
    browser, asgi_server, settings, viewport
):
    engine = fresh_engine()
    make_queue("consult", skill="consult", digit="2", category="consultation")
    agent = make_agent("1001", skills={"consult": 3}, user=UserFactory(real_name="孙客服"))
    supervisor = grant_supervision(make_agent("9001", user=UserFactory(real_name="钱班长")).user)
    caller = UserFactory(real_name="王小绒", mobile="13800000001", is_vip=True)
    base = asgi_server
    agent_context, desk, desk_blocked = new_page(browser, viewport)
    board_context, board, board_blocked = new_page(browser, viewport)
    sign_in(desk, base, agent.user.username)
    sign_in(board, base, supervisor.username)
    desk.goto(f"{base}/callcenter/")
    expect(desk.locator("[data-cc-no-engine]")).to_contain_text("未连接电话引擎")
    board.goto(f"{base}/callcenter/wallboard/")
    agent_on_board = board.locator('[data-board-agent="1001"] [data-board-state]')
    expect(agent_on_board).to_have_text("未签入")

    desk.get_by_role("button", name="签入").click()
    expect(desk.locator("[data-cc-state]")).to_have_text("空闲")
    expect(agent_on_board).to_have_text("空闲")

    engine_reports(engine, CallOffered("caller-1", caller.mobile, "4008001234", timezone.now()))
    engine_reports(engine, Dtmf("caller-1", "2", timezone.now()))
    expect(desk.locator("[data-cc-state]")).to_have_text("振铃")
    expect(desk.locator("[data-pop-member]")).to_contain_text("王小绒")
    expect(desk.locator("[data-screen-pop]")).to_contain_text("VIP 会员")
    expect(agent_on_board).to_have_text("振铃")
    expect(board.locator('[data-queue="consult"] [data-waiting]')).to_have_text("1")
    snap(desk, "callcenter-ringing")

    leg = CallLeg.objects.get()
    desk.get_by_role("button", name="接听").click()
    command_sent(engine, ("answer", leg.engine_leg_id))
    engine_reports(engine, Answered(leg.engine_leg_id, timezone.now()))
    expect(desk.locator("[data-cc-state]")).to_have_text("通话中")
    expect(desk.locator("[data-pop-member]")).to_contain_text("13800000001")
    expect(agent_on_board).to_have_text("通话中")
    expect(
        board.locator('[data-board-agent="1001"]').get_by_role("button", name="监听")
    ).to_be_visible()
    snap(board, "callcenter-wallboard")
    board.locator('[data-board-agent="1001"]').get_by_role("button", name="监听").click()
    expect(board.locator(".flash")).to_have_text("已向电话引擎发出指令。")
    listen = [c for c in engine.commands if c[0] == "eavesdrop"]
    assert [(c[2], c[3]) for c in listen] == [(leg.engine_leg_id, "listen")]
    agent_on_board = board.locator('[data-board-agent="1001"] [data-board-state]')

    desk.get_by_role("button", name="挂断").click()
    command_sent(engine, ("hang_up", leg.engine_leg_id, "NORMAL_CLEARING"))
    engine_reports(engine, HungUp(leg.engine_leg_id, "NORMAL_CLEARING", 30, timezone.now()))
    expect(desk.locator("[data-cc-state]")).to_have_text("话后整理")
    expect(desk.locator("[data-wrap-up-timer]")).to_contain_text("s")
    expect(agent_on_board).to_have_text("话后整理")

    desk.get_by_role("button", name="结束整理").click()
    expect(desk.locator("[data-cc-state]")).to_have_text("空闲")
    expect(agent_on_board).to_have_text("空闲")

    assert list(
        AgentEvent.objects.filter(agent=agent).order_by("id").values_list("from_state", "to_state")
    ) == [
        (A.SIGNED_OUT, A.IDLE),
        (A.IDLE, A.RINGING),
        (A.RINGING, A.TALKING),
        (A.TALKING, A.WRAP_UP),
        (A.WRAP_UP, A.IDLE),
    ]
    call = Call.objects.get()
    assert (call.caller, call.agent, call.outcome, call.is_vip) == (caller, agent, "answered", True)
    agent_context.close()
    board_context.close()
    assert desk_blocked == board_blocked == []


def test_the_soft_phone_runs_sip_js_from_our_static_files(browser, asgi_server, settings):
    # A registrar address on loopback where nothing listens: SIP.js must load, start and report
    # the refused WebSocket (an import failure would say "SIP.js:" instead).
    registrar = "ws://127.0.0.1:9/"
    settings.CALLCENTER_SIP_WS_URL = registrar
    settings.CALLCENTER_SIP_DOMAIN = "rongcheng.test"
    settings.CSP_PATH_ADDITIONS = {
        **settings.CSP_PATH_ADDITIONS,
        "/callcenter/": {"connect-src": [registrar]},
    }
    agent = make_agent("1001")
    context, desk, blocked = new_page(browser, VIEWPORTS["pc"])
    loaded = []
    desk.on("response", lambda response: loaded.append((response.url, response.status)))
    sign_in(desk, asgi_server, agent.user.username)
    desk.goto(f"{asgi_server}/callcenter/")
    expect(desk.locator("[data-phone-status]")).to_contain_text("SIP: ")
    assert (f"{asgi_server}/static/vendor/sipjs/index.js", 200) in loaded
    context.close()
    assert blocked == []


def test_with_auto_answer_on_the_page_answers_a_ringing_call(browser, asgi_server):
    engine = fresh_engine()
    make_queue("consult", skill="consult", digit="2", category="consultation")
    agent = make_agent("1001", skills={"consult": 3})
    context, desk, blocked = new_page(browser, VIEWPORTS["pc"])
    sign_in(desk, asgi_server, agent.user.username)
    desk.goto(f"{asgi_server}/callcenter/")
    desk.get_by_role("button", name="开启自动应答").click()
    expect(desk.get_by_role("button", name="关闭自动应答")).to_be_visible()
    desk.get_by_role("button", name="签入").click()
    expect(desk.locator("[data-cc-state]")).to_have_text("空闲")

    engine_reports(engine, CallOffered("caller-1", "04778585858", "4008001234", timezone.now()))
    engine_reports(engine, Dtmf("caller-1", "2", timezone.now()))

    command_sent(engine, ("answer", CallLeg.objects.get().engine_leg_id))
    context.close()
    assert blocked == []


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_call_back_requests_reach_the_workspace_live(browser, asgi_server, viewport):
    engine = fresh_engine()
    consult = make_queue("consult", skill="consult")
    orders = make_queue("orders", skill="orders")
    agent = make_agent("1001", skills={"consult": 3})
    now = timezone.now()
    make_callback(consult, now, number="13900000001")
    make_callback(orders, now, number="13900000002")  # not a queue this agent serves
    calling = make_callback(
        orders, now, number="13900000003", status=CallbackRequest.Status.CALLING, agent=agent
    )
    asked = make_waiting_call(consult, now, number="13900000004", engine_id="caller-4")
    Call.objects.filter(pk=asked.pk).update(callback_offered_at=now)
    context, desk, blocked = new_page(browser, viewport)
    sign_in(desk, asgi_server, agent.user.username)
    desk.goto(f"{asgi_server}/callcenter/")
    rows = desk.locator("[data-cc-callbacks] tr[data-callback]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("13900000001")
    expect(rows.nth(1)).to_contain_text("回电中")

    in_worker(callbacks.request, Dtmf("caller-4", "1", timezone.now()), engine=engine)
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("13900000004")
    snap(desk, "callcenter-callbacks")
    in_worker(callbacks.customer_answered, calling.last_call.engine_call_id, at=timezone.now())
    expect(rows).to_have_count(2)
    expect(desk.locator("[data-cc-callbacks]")).not_to_contain_text("13900000003")
    # The page does not scroll sideways.
    assert desk.evaluate("document.documentElement.scrollWidth") == viewport["width"]
    context.close()
    assert blocked == []
