"""The IVR tree through CTI: keys, timeouts and invalid keys on a table of cases."""

from datetime import timedelta

import pytest

from rongcheng.callcenter import cti
from rongcheng.callcenter.engine import CallOffered, DigitTimeout, Dtmf, FakeEngine
from rongcheng.callcenter.models import Call, IvrChoice
from rongcheng.callcenter.tests.factories import T0, entry_menu, make_menu, make_queue

pytestmark = pytest.mark.django_db
CHANNEL = "caller-1"


@pytest.fixture
def tree():
    """welcome: 1 → service menu, 2 → consult, 0 → other; three failures → goodbye.
    service: 1 → orders, * → welcome; two failures → the other queue."""
    other = make_queue("other", skill="other", digit="0")
    make_queue("consult", skill="consult", digit="2", category="consultation")
    welcome = entry_menu()
    service = make_menu("service", max_retries=1, failure_queue=other, timeout_seconds=8)
    IvrChoice.objects.create(menu=welcome, digit="1", submenu=service)
    IvrChoice.objects.create(menu=service, digit="1", queue=make_queue("orders", skill="orders"))
    IvrChoice.objects.create(menu=service, digit="*", submenu=welcome)


def _short(command: tuple) -> str:
    """("collect_digits", channel, "callcenter/ivr/welcome.wav", 1, 5) → "collect welcome 5"."""
    if len(command) < 3:
        return command[0]
    name = command[2].removeprefix("callcenter/ivr/").removesuffix(".wav")
    match command[0]:
        case "collect_digits":
            return f"collect {name} {command[4]}"
        case "play":
            return f"play {name}"
        case "play_and_hang_up":
            return f"bye {name}"
    return command[0]


def _call_with(inputs: list[str]) -> tuple[Call, list[str]]:
    """Offer a call and press the keys; "T" lets the menu time out."""
    engine = FakeEngine()
    cti.handle(CallOffered(CHANNEL, "031966667777", "4008001234", T0), engine=engine)
    for n, key in enumerate(inputs, start=1):
        at = T0 + timedelta(seconds=10 * n)
        event = DigitTimeout(CHANNEL, at) if key == "T" else Dtmf(CHANNEL, key, at)
        cti.handle(event, engine=engine)
    commands = [_short(command) for command in engine.commands if command[0] != "originate"]
    return Call.objects.select_related("queue").get(), commands


MAIN = "collect welcome 5"
SERVICE = "collect service 8"
INVALID = "play invalid"


@pytest.mark.parametrize(
    ("inputs", "queue", "commands"),
    [
        (["2"], "consult", [MAIN, "park"]),
        (["0"], "other", [MAIN, "park"]),
        (["7", "2"], "consult", [MAIN, INVALID, MAIN, "park"]),
        (["T", "T", "2"], "consult", [MAIN, MAIN, MAIN, "park"]),
        (["T", "T", "T"], None, [MAIN, MAIN, MAIN, "bye goodbye"]),
        (["7", "T", "9"], None, [MAIN, INVALID, MAIN, MAIN, "bye goodbye"]),
        (["1", "1"], "orders", [MAIN, SERVICE, "park"]),
        (["1", "*", "2"], "consult", [MAIN, SERVICE, MAIN, "park"]),
        # Failures count per menu: the submenu starts from none.
        (["T", "1", "T", "1"], "orders", [MAIN, MAIN, SERVICE, SERVICE, "park"]),
        (["1", "T", "5"], "other", [MAIN, SERVICE, SERVICE, "park"]),
        # Keys pressed after the choice are not menu choices.
        (["2", "1", "T"], "consult", [MAIN, "park"]),
    ],
)
def test_keys_timeouts_and_invalid_keys(tree, inputs, queue, commands):
    call, sent = _call_with(inputs)

    assert (call.queue.code if call.queue else None) == queue
    assert sent == ["answer", *commands]


def test_the_choice_decides_the_category_and_the_wait_starts_with_the_queue(tree):
    call, _sent = _call_with(["7", "2"])

    assert (call.category, call.queued_at, call.queue_entered_at) == (
        "consultation",
        T0 + timedelta(seconds=20),
        T0 + timedelta(seconds=20),
    )


def test_a_caller_who_gives_up_in_the_menu_is_hung_up_and_stays_out_of_the_queues(tree):
    call, _sent = _call_with(["T", "T", "T"])

    assert (call.queue, call.ivr_menu, call.outcome) == (None, None, "waiting")
    # Any later key or timeout changes nothing.
    engine = FakeEngine()
    cti.handle(Dtmf(CHANNEL, "2", T0 + timedelta(seconds=60)), engine=engine)
    assert engine.commands == []
    assert Call.objects.get().queue is None


def test_without_an_entry_menu_the_call_is_refused():
    engine = FakeEngine()
    cti.handle(CallOffered(CHANNEL, "031966667777", "4008001234", T0), engine=engine)

    assert engine.commands == [("hang_up", CHANNEL, "SERVICE_UNAVAILABLE")]


def test_a_key_costs_the_same_statements_in_any_menu(tree, django_assert_num_queries):
    engine = FakeEngine()
    cti.handle(CallOffered(CHANNEL, "031966667777", "4008001234", T0), engine=engine)

    with django_assert_num_queries(3):  # the call with its menu, the choice, the move
        cti.handle(Dtmf(CHANNEL, "1", T0 + timedelta(seconds=5)), engine=engine)
    with django_assert_num_queries(3):
        cti.handle(Dtmf(CHANNEL, "*", T0 + timedelta(seconds=9)), engine=engine)
