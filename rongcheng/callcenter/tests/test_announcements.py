"""What a queued caller hears: place and estimated wait, composed of prompts with numbers said
in Chinese, on entering the queue and again on the clock's tick."""

import pytest

from rongcheng.callcenter import announcements, cti, timers
from rongcheng.callcenter.engine import CallOffered, Dtmf, FakeEngine
from rongcheng.callcenter.models import Agent, Call
from rongcheng.callcenter.tests.factories import (
    T0,
    at,
    make_agent,
    make_prompt,
    make_queue,
    make_waiting_call,
)

A = Agent.State


def words(codes: list[str]) -> str:
    return "".join(announcements.PROMPTS[code] for code in codes)


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "零"),
        (1, "一"),
        (2, "两"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (23, "二十三"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (200, "两百"),
        (222, "两百二十二"),
        (999, "九百九十九"),
        (1500, "九百九十九"),
    ],
)
def test_numbers_are_said_in_chinese(n, said):
    assert words(announcements.spoken_number(n)) == said


def test_the_sentence_says_the_callers_ahead_and_the_minutes():
    place = announcements.acd.QueuePlace(position=3, estimated_wait_seconds=301)
    assert words(announcements.sentence(place, offer_callback=False)) == (
        "您前面还有两位客户，预计等待六分钟。"
    )
    first = announcements.acd.QueuePlace(position=1, estimated_wait_seconds=20)
    assert words(announcements.sentence(first, offer_callback=True)) == (
        "您是下一位，请稍候。如需稍后回电，请按1。"
    )


@pytest.fixture
def spoken():
    """Every announcement prompt with its file."""
    for code in announcements.PROMPTS:
        make_prompt(code)


def file(code: str) -> str:
    return f"callcenter/ivr/{code}.wav"


@pytest.mark.django_db
def test_a_caller_entering_a_busy_queue_hears_place_wait_and_the_call_back_offer(spoken):
    consult = make_queue(
        "consult", skill="consult", digit="2", category="consultation", callback_after_seconds=300
    )
    make_agent("1001", state=A.BUSY, skills={"consult": 3}, idle_since=T0)
    make_waiting_call(consult, at(-30))
    engine = FakeEngine()
    cti.handle(CallOffered("caller-1", "047766667777", "4008001234", at(0)), engine=engine)
    engine.commands.clear()

    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)

    # One caller ahead: position 2 × 180 s (no answered call yet) ÷ 1 agent = 6 minutes.
    codes = [
        "queue-ahead", "number-1", "queue-callers", "queue-wait", "number-6",
        "queue-minutes", "queue-callback-offer",
    ]  # fmt: skip
    assert engine.commands == [
        ("park", "caller-1"),
        *[("play", "caller-1", file(code)) for code in codes],
        ("park", "caller-1"),
    ]
    call = Call.objects.get(engine_call_id="caller-1")
    assert (call.announced_at, call.callback_offered_at) == (at(5), at(5))


@pytest.mark.django_db
def test_nothing_is_said_while_a_prompt_has_no_file(caplog):
    make_queue("consult", skill="consult", digit="2")
    engine = FakeEngine()
    cti.handle(CallOffered("caller-1", "047766667777", "4008001234", at(0)), engine=engine)
    engine.commands.clear()
    cti.handle(Dtmf("caller-1", "2", at(5)), engine=engine)

    assert engine.commands == [("park", "caller-1")]
    assert Call.objects.get().announced_at is None
    assert "Queue announcement prompts missing" in caplog.text


@pytest.mark.django_db
def test_the_tick_announces_again_every_minute_once(spoken, settings):
    settings.CALLCENTER_ANNOUNCE_SECONDS = 60
    consult = make_queue("consult", skill="consult")
    make_agent("1001", state=A.BUSY, skills={"consult": 3}, idle_since=T0)
    call = make_waiting_call(consult, at(0), engine_id="caller-1")
    Call.objects.filter(pk=call.pk).update(announced_at=at(0))
    engine = FakeEngine()

    assert timers.tick(engine=engine, now=at(59)).announced == []
    assert timers.tick(engine=engine, now=at(60)).announced == [call.pk]
    assert timers.tick(engine=engine, now=at(60)).announced == []

    assert engine.commands == [
        ("play", "caller-1", file("queue-next")),
        ("park", "caller-1"),
    ]


@pytest.mark.django_db
def test_a_caller_never_told_hears_it_a_minute_after_queueing(spoken, settings):
    settings.CALLCENTER_ANNOUNCE_SECONDS = 60
    consult = make_queue("consult", skill="consult")
    call = make_waiting_call(consult, at(0), engine_id="caller-1")
    engine = FakeEngine()

    assert timers.tick(engine=engine, now=at(59)).announced == []
    assert timers.tick(engine=engine, now=at(60)).announced == [call.pk]
    assert engine.commands == [("play", "caller-1", file("queue-next")), ("park", "caller-1")]


@pytest.mark.django_db
def test_an_announcement_reads_a_fixed_number_of_statements(spoken, django_assert_num_queries):
    consult = make_queue("consult", skill="consult")
    for n in range(5):
        make_waiting_call(consult, at(n), number=f"0319555000{n}")
    last = Call.objects.select_related("queue").order_by("-queued_at").first()
    # Position, recent talk times, staffed agents, prompt files, the conditional update.
    with django_assert_num_queries(5):
        codes = announcements.announce(last, engine=FakeEngine(), now=at(60))
    assert codes[:3] == ["queue-ahead", "number-4", "queue-callers"]


@pytest.mark.django_db
def test_the_ticks_announcements_read_per_queue_and_write_per_caller(
    spoken, settings, django_assert_num_queries
):
    settings.CALLCENTER_ANNOUNCE_SECONDS = 60
    consult = make_queue("consult", skill="consult")
    for n in range(5):
        make_waiting_call(consult, at(n), number=f"0319555000{n}")
    Call.objects.update(announced_at=at(0))
    engine = FakeEngine()
    # The due callers, the prompts; the queue's order, talk times, staffed agents; 5 updates.
    with django_assert_num_queries(2 + 3 + 5):
        announced = announcements.announce_due(engine=engine, now=at(60))
    assert len(announced) == 5
    plays = [c[2] for c in engine.commands if c[0] == "play"]
    # The last of five: four ahead, 5 × 180 s ÷ no staffed agent (counted as one) = 15 minutes.
    last = ("queue-ahead", "number-4", "queue-callers", "queue-wait", "number-10", "number-5")
    assert plays[-7:] == [file(code) for code in (*last, "queue-minutes")]
