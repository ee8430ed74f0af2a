import re
from datetime import timedelta

import pytest
from django.urls import reverse

from rongcheng.callcenter import records
from rongcheng.callcenter.models import Agent, AgentEvent, AgentGroup
from rongcheng.callcenter.tests.records_data import T0, make_call, make_desk, make_leg
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
CALLS = reverse("callcenter_records:calls")
WORK = reverse("callcenter_records:work")


@pytest.fixture
def desk():
    return make_desk()


def shown_numbers(response) -> list[str]:
    return re.findall(r"<td>(0\d{9,11})", response.content.decode())


def test_an_agent_reads_only_the_calls_they_took_part_in(client, desk):
    client.force_login(desk.alice.user)
    page = client.get(CALLS)
    assert page.status_code == 200
    # Newest first: the next day's call, the one transferred to Bob, Alice's own; not Bob's.
    assert shown_numbers(page) == ["04778880004", "04778880003", "04778880001"]


def test_an_agent_cannot_widen_the_list_to_another_agent(client, desk):
    client.force_login(desk.alice.user)
    page = client.get(CALLS, {"agent_number": "2001", "group": desk.bob.group_id})
    # The group and agent fields are not offered to an agent and are ignored.
    assert shown_numbers(page) == ["04778880004", "04778880003", "04778880001"]
    assert "01066660002" not in page.content.decode()


def test_a_supervisor_reads_every_call_and_filters_them(client, desk):
    client.force_login(desk.supervisor)
    assert shown_numbers(client.get(CALLS)) == [
        "04778880004", "04778880003", "01066660002", "04778880001",
    ]  # fmt: skip
    assert shown_numbers(client.get(CALLS, {"agent_number": "1001"})) == [
        "04778880004", "04778880001",
    ]  # fmt: skip
    vip = AgentGroup.objects.get(code="vip").pk
    assert shown_numbers(client.get(CALLS, {"group": vip})) == ["04778880003", "01066660002"]
    assert shown_numbers(client.get(CALLS, {"caller_number": "0477"})) == [
        "04778880004", "04778880003", "04778880001",
    ]  # fmt: skip


def test_days_are_the_sites_days(client, desk):
    client.force_login(desk.supervisor)
    # 2026-03-02 16:30 UTC is 2026-03-03 00:30 in Shanghai: the next day's call.
    assert shown_numbers(client.get(CALLS, {"since": "2026-03-03"})) == ["04778880004"]
    assert shown_numbers(client.get(CALLS, {"until": "2026-03-02"})) == [
        "04778880003", "01066660002", "04778880001",
    ]  # fmt: skip


def test_someone_who_is_neither_agent_nor_supervisor_is_refused(client, desk):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CALLS).status_code == 403
    assert client.get(WORK).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, desk):
    assert client.get(CALLS).status_code == 302


def test_work_records_are_the_agents_own(client, desk):
    client.force_login(desk.bob.user)
    html = client.get(WORK).content.decode()
    # The totals table (by number), then the state changes (newest first).
    assert re.findall(r"<td>(\d{4})</td>", html) == ["2001", "2001"]
    client.force_login(desk.supervisor)
    html = client.get(WORK).content.decode()
    assert re.findall(r"<td>(\d{4})</td>", html) == ["1001", "2001", "2001", "1001"]


def test_the_calls_page_reads_the_same_statements_for_few_and_many_calls(
    client, desk, django_assert_num_queries
):
    client.force_login(desk.supervisor)
    client.get(CALLS)  # the layout's category menu is cached from here on
    # Sign-in and permissions 5, the count and the page 2, the group choices 1, the layout's
    # header (city, store staff, bag) 3, the menu's link to the supervisor's own workspace 1.
    with django_assert_num_queries(12):
        client.get(CALLS)
    for n in range(40):
        call = make_call(f"extra{n}", T0, number=f"0477{n:07d}", agent=desk.alice)
        make_leg(call, desk.alice, f"extra{n}", T0)
    with django_assert_num_queries(12):
        client.get(CALLS)


@pytest.mark.parametrize("page", ["calls", "work", "recordings", "callbacks", "reports", "sms"])
def test_the_english_desk_is_english(client, desk, page):
    client.force_login(desk.supervisor)
    html = client.get(f"/en/callcenter/{page}/").content.decode()
    # The page's own words; the shop's header and footer are checked by the storefront's tests.
    main = html[html.index('<section class="seller-main">') : html.index("</section>")]
    assert re.findall(r"[\u4e00-\u9fff]+", main) == []


def test_the_work_record_adds_up_each_agents_time_in_each_state(client, desk):
    steps = [  # (to, seconds in the state left)
        (Agent.State.RINGING, 120), (Agent.State.TALKING, 8), (Agent.State.WRAP_UP, 300),
        (Agent.State.IDLE, 45), (Agent.State.BUSY, 60), (Agent.State.IDLE, 600),
        (Agent.State.SIGNED_OUT, 30),
    ]  # fmt: skip
    state = Agent.State.IDLE
    for n, (to, seconds) in enumerate(steps):
        AgentEvent.objects.create(
            agent=desk.alice, from_state=state, to_state=to, seconds_in_from_state=seconds,
            created_at=T0 + timedelta(minutes=n),
        )  # fmt: skip
        state = to
    totals = records.work_totals(reader=records.Reader(agent=None), filters=records.RecordFilter())
    alice = next(row for row in totals if row.agent_number == "1001")
    assert alice.seconds == {
        "idle": 120 + 60 + 30, "ringing": 8, "talking": 300, "wrap_up": 45, "busy": 600,
        "signed_out": 0,
    }  # fmt: skip
    assert alice.signed_in == 1163
    client.force_login(desk.alice.user)
    html = client.get(WORK).content.decode()
    assert (
        "<td>1001</td><td>1163</td><td>210</td><td>8</td><td>300</td><td>45</td><td>600</td><td>0</td>"
        in html
    )
