"""/callcenter/: agents only (404 for anyone else), each acting only as themself; the wallboard
and its commands for supervisors only (403); bounded queries on every page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rongcheng.callcenter import cti, lab_proxy
from rongcheng.callcenter.engine import Answered, CallOffered, Dtmf
from rongcheng.callcenter.models import Agent, AgentEvent, CallbackRequest, CallLeg, Queue
from rongcheng.callcenter.tests.factories import (
    fresh_engine,
    grant_supervision,
    make_agent,
    make_callback,
    make_queue,
)
from rongcheng.core.testing.factories import UserFactory
from rongcheng.messaging.models import Conversation

pytestmark = pytest.mark.django_db

A = Agent.State
S = CallbackRequest.Status
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def engine():
    return fresh_engine()


@pytest.fixture
def agent():
    make_queue("consult", skill="consult", digit="2", category="consultation")
    return make_agent("1001", skills={"consult": 3}, state=A.IDLE, idle_since=T0)


def ring(engine, number="13900000000"):
    cti.handle(CallOffered("caller-1", number, "4008001234", T0), engine=engine)
    cti.handle(Dtmf("caller-1", "2", T0), engine=engine)
    engine.commands.clear()
    return CallLeg.objects.get()


def test_the_workspace_is_for_agents_only(client, agent):
    assert client.get(reverse("callcenter:workspace")).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(reverse("callcenter:workspace")).status_code == 404
    assert client.post(reverse("callcenter:busy")).status_code == 404
    client.force_login(agent.user)
    page = client.get(reverse("callcenter:workspace")).content.decode()
    assert "坐席工作台" in page and "未连接电话引擎" in page
    assert 'data-socket="/ws/callcenter/floor/"' in page
    assert "/static/callcenter/ring.wav" in page


def test_an_agent_changes_state_from_the_page(client, engine, agent):
    client.force_login(agent.user)
    response = client.post(reverse("callcenter:busy"))
    assert response.status_code == 302
    assert client.post(reverse("callcenter:leave"), **JSON).status_code == 204
    assert client.post(reverse("callcenter:ready"), **JSON).status_code == 204
    assert client.post(reverse("callcenter:auto_answer"), {"on": "1"}, **JSON).status_code == 204
    agent.refresh_from_db()
    assert (agent.state, agent.auto_answer) == (A.IDLE, True)
    assert list(AgentEvent.objects.values_list("to_state", flat=True).order_by("id")) == [
        A.BUSY,
        A.LEAVE,
        A.IDLE,
    ]


def test_a_refused_step_answers_409_and_writes_nothing(client, engine, agent):
    client.force_login(agent.user)
    response = client.post(reverse("callcenter:hang_up"), **JSON)
    assert (response.status_code, response.json()["code"]) == (409, "no_call_in_progress")
    client.post(reverse("callcenter:busy"))
    response = client.post(reverse("callcenter:busy"), **JSON)
    assert (response.status_code, response.json()["code"]) == (409, "agent_state_invalid")
    assert (AgentEvent.objects.count(), engine.commands) == (1, [])


def test_an_agent_acts_only_on_their_own_call(client, engine, agent):
    leg = ring(engine)
    other = make_agent("1002", state=A.IDLE, idle_since=T0)
    client.force_login(other.user)
    for action in ("answer", "reject", "hang_up", "hold", "transfer"):
        response = client.post(reverse(f"callcenter:{action}"), {"to": "1002"}, **JSON)
        assert response.status_code == 409
    assert engine.commands == []
    leg.refresh_from_db()
    assert (leg.outcome, leg.ended_at) == ("ringing", None)

    client.force_login(agent.user)
    assert client.post(reverse("callcenter:answer"), **JSON).status_code == 204
    assert engine.commands == [("answer", leg.engine_leg_id)]


def test_the_ringing_agent_sees_the_screen_pop_in_bounded_queries(
    client, engine, agent, member, django_assert_num_queries
):
    ring(engine, number=member.mobile)
    for number in ("1002", "1003", "1004"):
        make_agent(number)
    client.force_login(agent.user)
    url = reverse("callcenter:workspace") + "?part=panel"
    with django_assert_num_queries(8):
        panel = client.get(url).content.decode()
    assert 'data-state="ringing"' in panel and "data-screen-pop" in panel
    assert "张三" in panel and "13900000000" in panel and "暂无订单" in panel
    assert 'data-cc="answer"' in panel and 'data-cc="reject"' in panel
    client.get(reverse("callcenter:workspace"))  # a first visit; the measured ones are steady
    with django_assert_num_queries(15):
        client.get(reverse("callcenter:workspace"))
    for number in range(2000, 2010):
        make_agent(str(number), state=A.IDLE, idle_since=T0)
    with django_assert_num_queries(15):
        page = client.get(reverse("callcenter:workspace")).content.decode()
    assert page.count("data-floor-agent=") == 14


def test_a_held_call_is_shown_held_after_a_page_reload(client, engine, agent):
    leg = ring(engine)
    cti.handle(Answered(leg.engine_leg_id, T0), engine=engine)
    client.force_login(agent.user)
    url = reverse("callcenter:workspace") + "?part=panel"
    panel = client.get(url).content.decode()
    assert 'data-cc="hold"' in panel and "data-cc-held" not in panel

    assert client.post(reverse("callcenter:hold"), **JSON).status_code == 204
    panel = client.get(url).content.decode()
    assert "data-cc-held" in panel and 'data-cc="resume"' in panel
    assert 'data-cc="hold"' not in panel
    assert client.post(reverse("callcenter:resume"), **JSON).status_code == 204
    panel = client.get(url).content.decode()
    assert 'data-cc="hold"' in panel and "data-cc-held" not in panel


def test_an_unknown_caller_is_registered_from_the_pop(client, engine, agent):
    ring(engine, number="13711112222")
    client.force_login(agent.user)
    panel = client.get(reverse("callcenter:workspace") + "?part=panel").content.decode()
    assert "登记为会员" in panel
    client.post(reverse("callcenter:register_caller"), {"real_name": "周女士"})
    panel = client.get(reverse("callcenter:workspace") + "?part=panel").content.decode()
    assert "周女士" in panel and "登记为会员" not in panel


def test_the_wallboard_is_for_supervisors_only(client, engine, agent):
    leg = ring(engine)
    cti.handle(Answered(leg.engine_leg_id, T0), engine=engine)
    engine.commands.clear()
    for user in (agent.user, UserFactory()):
        client.force_login(user)
        assert client.get(reverse("callcenter:wallboard")).status_code == 403
        for action in ("listen", "whisper", "barge", "force_hang_up"):
            assert (
                client.post(reverse(f"callcenter:{action}"), {"agent": "1001"}).status_code == 403
            )
    assert engine.commands == []

    supervisor = grant_supervision(make_agent("9001").user)
    client.force_login(supervisor)
    client.post(reverse("callcenter:force_hang_up"), {"agent": "1001"})
    assert engine.commands == [("hang_up", "caller-1", "MANAGER_REQUEST")]


def test_the_wallboard_shows_lines_agents_and_queues_in_bounded_queries(
    client, engine, agent, django_assert_num_queries
):
    make_queue("service", skill="service", digit="1")
    ring(engine)
    cti.handle(CallOffered("caller-2", "04778585858", "4008001234", T0), engine=engine)
    cti.handle(Dtmf("caller-2", "2", T0), engine=engine)
    for number in ("1002", "1003"):
        make_agent(number, state=A.BUSY)
    client.force_login(grant_supervision(UserFactory()))
    with django_assert_num_queries(9):
        board = client.get(reverse("callcenter:wallboard") + "?part=board").content.decode()
    assert "<dd data-lines-in-use>2</dd>" in board
    assert "<dd data-lines-talking>0</dd>" in board
    assert '<dd data-agents-in="ringing">1</dd>' in board
    assert '<dd data-agents-in="busy">2</dd>' in board
    assert '<dd data-agents-in="idle">0</dd>' in board
    assert 'data-queue="consult"' in board
    assert '<td class="num" data-waiting>2</td>' in board


def test_the_call_center_speaks_english_at_en(client, agent):
    han = re.compile(r"[\u3400-\u9fff]")
    client.force_login(agent.user)
    for part in ("panel", "floor", "callbacks"):
        html = client.get(f"/en/callcenter/?part={part}").content.decode()
        assert "Clock out" in html or "Agents" in html or "Call-back request" in html
        assert han.findall(html) == []
    client.force_login(grant_supervision(UserFactory()))
    board = client.get("/en/callcenter/wallboard/?part=board").content.decode()
    assert "Lines in use" in board and han.findall(board) == []


def test_click_to_call_from_the_customer_record(client, agent, member):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    record = client.get(reverse("admin:accounts_user_change", args=[member.pk])).content.decode()
    assert 'href="/callcenter/?dial=13900000000"' in record
    client.force_login(agent.user)
    page = client.get("/callcenter/?dial=13900000000").content.decode()
    assert 'name="number" value="13900000000"' in page


def test_agents_message_each_other_through_the_member_chat(client, agent):
    colleague = make_agent("1002")
    client.force_login(agent.user)
    floor = client.get(reverse("callcenter:workspace") + "?part=floor").content.decode()
    link = reverse("storefront:chat_member", args=[colleague.user.username])
    assert f'href="{link}"' in floor
    response = client.get(link)
    conversation = Conversation.objects.get()
    assert response.url == reverse("storefront:chat", args=[conversation.pk])
    assert {conversation.customer, conversation.peer} == {agent.user, colleague.user}


def test_one_menu_leads_from_the_workspace_to_the_records_desk_and_back(client, agent):
    workspace, wallboard = reverse("callcenter:workspace"), reverse("callcenter:wallboard")
    desk = [reverse(f"callcenter_records:{name}") for name in ("calls", "work", "recordings")]
    client.force_login(agent.user)
    page = client.get(workspace).content.decode()
    assert all(f'href="{link}"' in page for link in desk)
    assert f'href="{wallboard}"' not in page
    assert f'href="{workspace}"' in client.get(desk[0]).content.decode()

    supervisor = grant_supervision(make_agent("9001").user)
    client.force_login(supervisor)
    page = client.get(desk[0]).content.decode()
    assert f'href="{workspace}"' in page and f'href="{wallboard}"' in page

    # Operations read every record but answer no calls: no workspace in their menu.
    reader = UserFactory()
    reader.user_permissions.add(Permission.objects.get(codename="view_call"))
    client.force_login(reader)
    page = client.get(desk[0]).content.decode()
    assert f'href="{workspace}"' not in page and f'href="{desk[1]}"' in page


@pytest.mark.parametrize(
    ("installed", "says"),
    [(False, "本机未安装实验室电话（Kamailio、rtpengine）。"), (True, "make run-callcenter")],
)
def test_without_an_engine_the_workspace_says_whether_the_lab_is_installed(
    client, agent, monkeypatch, installed, says
):
    monkeypatch.setattr(lab_proxy, "installed", lambda: installed)
    client.force_login(agent.user)
    page = client.get(reverse("callcenter:workspace")).content.decode()
    assert "未连接电话引擎" in page and says in page


def test_with_the_lab_soft_phone_the_workspace_says_what_reaches_the_lab(client, agent, settings):
    settings.CALLCENTER_SIP_WS_URL = "ws://127.0.0.1:5066"
    settings.CALLCENTER_SIP_DOMAIN = "127.0.0.1:5070"
    client.force_login(agent.user)
    page = client.get(reverse("callcenter:workspace")).content.decode()
    assert "实验室电话：来电在本页的软电话振铃" in page and "未连接电话引擎" not in page
    assert 'data-sip-uri="sip:1001@127.0.0.1:5070"' in page


def shown_callbacks(html: str) -> list[str]:
    return re.findall(
        r'data-callback="\d+" data-callback-status="(\w+)">\s*<td><span class="cc-number">(\d+)<',
        html,
    )


def test_each_agent_sees_their_queues_waiting_call_backs_and_their_own(client, agent):
    orders = make_queue("orders", skill="orders")
    colleague = make_agent("1002", skills={"orders": 3}, state=A.IDLE, idle_since=T0)
    consult = Queue.objects.get(code="consult")
    make_callback(consult, T0, number="13900000001")
    make_callback(consult, T0 + timedelta(minutes=1), number="13900000002", status=S.DONE)
    make_callback(orders, T0 + timedelta(minutes=2), number="13900000003")
    make_callback(
        orders, T0 + timedelta(minutes=3), number="13900000004", status=S.CALLING, agent=agent
    )
    make_callback(
        orders, T0 + timedelta(minutes=4), number="13900000005", status=S.CALLING, agent=colleague
    )
    make_callback(consult, T0 + timedelta(minutes=5), number="13900000006", status=S.FAILED)
    url = reverse("callcenter:workspace")

    client.force_login(agent.user)
    page = client.get(url).content.decode()
    part = client.get(url + "?part=callbacks").content.decode()
    client.force_login(colleague.user)
    theirs = client.get(url + "?part=callbacks").content.decode()

    mine = [("waiting", "13900000001"), ("calling", "13900000004")]
    assert shown_callbacks(page) == shown_callbacks(part) == mine
    assert shown_callbacks(theirs) == [("waiting", "13900000003"), ("calling", "13900000005")]
    assert "等待回电" in part and "回电中" in part


@pytest.mark.parametrize("count", [1, 10])
def test_call_backs_take_one_statement_whatever_their_count(
    client, agent, count, django_assert_num_queries
):
    consult = Queue.objects.get(code="consult")
    for i in range(count):
        make_callback(consult, T0 + timedelta(minutes=i), number=f"139000000{i:02d}")
    client.force_login(agent.user)
    url = reverse("callcenter:workspace") + "?part=callbacks"
    client.get(url)  # a first visit; the measured ones are steady
    with django_assert_num_queries(3):  # the user, the agent, the requests
        html = client.get(url).content.decode()
    assert len(shown_callbacks(html)) == count
    with django_assert_num_queries(13):  # no call in progress: no screen pop
        page = client.get(reverse("callcenter:workspace")).content.decode()
    assert len(shown_callbacks(page)) == count
