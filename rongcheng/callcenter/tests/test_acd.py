from decimal import Decimal

import pytest

from rongcheng.callcenter import acd
from rongcheng.callcenter.models import Agent, Call
from rongcheng.callcenter.tests.factories import at, make_agent, make_queue, make_waiting_call
from rongcheng.core.testing.factories import UserFactory
from rongcheng.regions.models import Region

pytestmark = pytest.mark.django_db

A = Agent.State


# Each case: agents as (number, state, skills, idle since second) and the agent chosen for a
# call to the "consult" queue.
AGENT_CASES = {
    "the only agent with the skill": (
        [("1001", A.IDLE, {"service": 5}, 0), ("1002", A.IDLE, {"consult": 1}, 50)],
        "1002",
    ),
    "the highest level wins over longer idle": (
        [("1001", A.IDLE, {"consult": 2}, 0), ("1002", A.IDLE, {"consult": 4}, 50)],
        "1002",
    ),
    "the longest idle among equal levels": (
        [("1001", A.IDLE, {"consult": 3}, 40), ("1002", A.IDLE, {"consult": 3}, 10)],
        "1002",
    ),
    "temporary leave receives nothing": (
        [("1001", A.LEAVE, {"consult": 5}, 0), ("1002", A.IDLE, {"consult": 1}, 50)],
        "1002",
    ),
    "busy, ringing, talking, wrap-up and signed out receive nothing": (
        [
            ("1001", A.BUSY, {"consult": 5}, 0),
            ("1002", A.RINGING, {"consult": 5}, 0),
            ("1003", A.TALKING, {"consult": 5}, 0),
            ("1004", A.WRAP_UP, {"consult": 5}, 0),
            ("1005", A.SIGNED_OUT, {"consult": 5}, 0),
        ],
        None,
    ),
    "a level in another skill does not count": (
        [
            ("1001", A.IDLE, {"consult": 1, "service": 5}, 0),
            ("1002", A.IDLE, {"consult": 2}, 50),
        ],
        "1002",
    ),
}


@pytest.mark.parametrize("case", AGENT_CASES)
def test_the_most_suitable_free_agent_is_chosen(case):
    agents, expected = AGENT_CASES[case]
    queue = make_queue("consult", skill="consult", digit="2")
    for number, state, skills, idle in agents:
        make_agent(number, state=state, skills=skills, idle_since=at(idle))
    make_waiting_call(queue, at(100))

    chosen = acd.best_free_agent(queue)

    assert (chosen.number if chosen else None) == expected


def test_vip_then_long_distance_then_arrival_order():
    queue = make_queue("consult", skill="consult")
    local_first = make_waiting_call(queue, at(1), number="03195550001")
    far = make_waiting_call(queue, at(2), number="01055550002", far=True)
    vip = make_waiting_call(queue, at(3), number="13700000003", vip=True)
    local_second = make_waiting_call(queue, at(4), number="03195550004")

    assert list(acd.waiting_calls(queue)) == [vip, far, local_first, local_second]
    assert [acd.place_in_queue(c).position for c in (vip, far, local_first, local_second)] == [
        1,
        2,
        3,
        4,
    ]


def test_next_match_pairs_the_head_of_the_queue_with_the_best_agent():
    queue = make_queue("consult", skill="consult")
    make_agent("1001", state=A.IDLE, skills={"consult": 3}, idle_since=at(0))
    make_waiting_call(queue, at(1))
    vip = make_waiting_call(queue, at(2), number="13700000002", vip=True)

    call, agent = acd.next_match(queue)

    assert (call, agent.number) == (vip, "1001")


def test_the_estimated_wait_shares_the_average_talk_time_among_staffed_agents():
    queue = make_queue("consult", skill="consult")
    for number, state in [("1001", A.TALKING), ("1002", A.WRAP_UP), ("1003", A.LEAVE)]:
        make_agent(number, state=state, skills={"consult": 3})
    for seconds, talk in [(1, 100), (2, 200)]:
        Call.objects.filter(pk=make_waiting_call(queue, at(seconds)).pk).update(
            outcome=Call.Outcome.ANSWERED, talk_seconds=talk
        )
    make_waiting_call(queue, at(10))
    third = make_waiting_call(queue, at(12))

    # Position 2 × 150 s average ÷ 2 agents signed in and not on leave.
    assert acd.place_in_queue(third) == acd.QueuePlace(position=2, estimated_wait_seconds=150)


def test_an_empty_queue_history_uses_the_configured_talk_time(settings):
    settings.CALLCENTER_DEFAULT_HANDLE_SECONDS = 100
    queue = make_queue("consult", skill="consult")
    make_agent("1001", state=A.IDLE, skills={"consult": 3})
    make_agent("1002", state=A.BUSY, skills={"consult": 3})
    make_agent("1003", state=A.IDLE, skills={"consult": 3})
    call = make_waiting_call(queue, at(1))

    assert acd.place_in_queue(call) == acd.QueuePlace(position=1, estimated_wait_seconds=34)


def test_overflow_moves_only_calls_waiting_past_the_queue_seconds():
    general = make_queue("general", skill="service")
    consult = make_queue("consult", skill="consult", overflow_to=general, overflow_seconds=60)
    due = make_waiting_call(consult, at(0), number="03195550001")
    not_yet = make_waiting_call(consult, at(30), number="03195550002")
    stays = make_waiting_call(general, at(0), number="03195550003")

    assert acd.overflow(now=at(60)) == [due.pk]

    due.refresh_from_db()
    not_yet.refresh_from_db()
    stays.refresh_from_db()
    assert (due.queue, due.queue_entered_at, due.queued_at) == (general, at(60), at(0))
    assert (not_yet.queue, not_yet.queue_entered_at) == (consult, at(30))
    assert stays.queue == general
    assert acd.overflow(now=at(61)) == []


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("01088889999", "010"),
        ("02188889999", "021"),
        ("031988889999", "0319"),
        ("075588889999", "0755"),
        ("13700001111", ""),
        ("0085212345678", ""),
        ("", ""),
    ],
)
def test_the_area_code_follows_the_numbering_plan(number, code):
    assert acd.area_code(number) == code


def make_city(code: str) -> Region:
    return Region.objects.create(
        code=code,
        name=code,
        level=Region.Level.CITY,
        longitude=Decimal(0),
        latitude=Decimal(0),
        pinyin=code,
        initials=code,
    )


def test_callers_are_ranked_from_the_member_record_and_the_number(settings):
    settings.CALLCENTER_AREA_CODE = "0319"
    settings.CALLCENTER_CITY_CODE = "130500"
    vip_here = UserFactory(mobile="13711112222", is_vip=True, city=make_city("130500"))
    member_far = UserFactory(mobile="13733334444", city=make_city("440300"))

    assert acd.identify_caller("13711112222") == acd.Caller(vip_here, True, False)
    assert acd.identify_caller("13733334444") == acd.Caller(member_far, False, True)
    assert acd.identify_caller("13755556666") == acd.Caller(None, False, False)
    assert acd.identify_caller("031955556666") == acd.Caller(None, False, False)
    assert acd.identify_caller("075555556666") == acd.Caller(None, False, True)


def test_the_acd_reads_a_bounded_number_of_queries(django_assert_max_num_queries):
    queue = make_queue("consult", skill="consult")
    for n in range(20):
        make_agent(f"10{n:02d}", state=A.IDLE, skills={"consult": n % 5 + 1}, idle_since=at(n))
        make_waiting_call(queue, at(n), number=f"031955500{n:02d}", vip=n % 3 == 0)
    last = Call.objects.order_by("id").last()

    with django_assert_max_num_queries(3):
        call, agent = acd.next_match(queue)
    # The calls ahead, the average talk time, the staffed agents, and the queue itself.
    with django_assert_max_num_queries(4):
        place = acd.place_in_queue(last)

    assert (call.caller_number, agent.number) == ("03195550000", "1004")
    assert place.position == 20
