"""The lifecycle helper on a tiny table over a real status-bearing table (call-center agents)."""

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection

from rongcheng.callcenter.models import Agent, AgentEvent
from rongcheng.callcenter.tests.factories import make_agent
from rongcheng.core.errors import ApplicationError
from rongcheng.core.lifecycle import Lifecycle

A = Agent.State
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
# signed out → idle → busy (final); idle → signed out.
TINY = {
    A.SIGNED_OUT: frozenset({A.IDLE}),
    A.IDLE: frozenset({A.BUSY, A.SIGNED_OUT}),
    A.BUSY: frozenset(),
}
ALLOWED = sorted((source, to) for source, targets in TINY.items() for to in targets)
REFUSED = sorted(set(itertools.product(TINY, TINY)) - set(ALLOWED))


class Refused(ApplicationError):
    code = "tiny_refused"
    status = 409


class Stale(ApplicationError):
    code = "tiny_stale"
    status = 409


def refused(agent: Agent, to: str) -> Refused:
    return Refused(f"坐席 {agent.number} 当前为“{agent.get_state_display()}”，不能变为“{to}”。")


def stale(agent: Agent) -> Stale:
    return Stale(f"坐席 {agent.number} 已被修改。")


TINY_LIFECYCLE = Lifecycle(Agent, AgentEvent, TINY, refused=refused, field="state")


def logged(to: str):
    def event(before: Agent) -> AgentEvent:
        return AgentEvent(agent=before, from_state=before.state, to_state=to, created_at=T0)

    return event


def stored(agent: Agent) -> dict:
    return Agent.objects.values().get(pk=agent.pk)


def history() -> list[tuple[int, str, str]]:
    return list(AgentEvent.objects.order_by("id").values_list("agent", "from_state", "to_state"))


def test_a_table_naming_a_state_without_its_own_row_is_refused():
    with pytest.raises(ValueError, match=r"^Agent: states without a row: talking$"):
        Lifecycle(Agent, AgentEvent, {A.IDLE: frozenset({A.TALKING})}, refused=refused)


def test_the_table_answers_which_steps_it_allows():
    assert [TINY_LIFECYCLE.allows(s, t) for s, t in ALLOWED] == [True] * 3
    assert [TINY_LIFECYCLE.allows(s, t) for s, t in REFUSED] == [False] * 6
    assert not TINY_LIFECYCLE.allows(A.TALKING, A.IDLE)  # a state the table does not know
    assert not TINY_LIFECYCLE.allows(A.IDLE, A.BUSY, expect=[A.SIGNED_OUT])
    assert TINY_LIFECYCLE.sources_of(A.SIGNED_OUT) == [A.IDLE]
    assert TINY_LIFECYCLE.sources_of(A.IDLE) == [A.SIGNED_OUT]


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "to"), ALLOWED)
def test_every_allowed_step_saves_the_status_the_changes_and_one_event(source, to):
    agent = make_agent("1001", state=source, idle_since=T0)

    with time_machine.travel(NOW, tick=False):
        step = TINY_LIFECYCLE.move(agent, to=to, event=logged(to), changes={"state_since": NOW})

    row = stored(agent)
    assert (row["state"], row["state_since"], row["updated_at"]) == (to, NOW, NOW)
    assert row["idle_since"] == T0  # only the step's own changes are written
    # The caller's instance and the returned row both show what was saved.
    assert (agent.state, agent.state_since, agent.updated_at) == (to, NOW, NOW)
    assert (step.row.state, step.row.pk) == (to, agent.pk)
    assert history() == [(agent.pk, source, to)]
    assert step.event.pk == AgentEvent.objects.get().pk


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "to"), REFUSED)
def test_every_other_step_is_refused_with_the_apps_error_and_writes_nothing(source, to):
    agent = make_agent("1001", state=source, idle_since=T0)
    before = stored(agent)

    with pytest.raises(Refused) as refusal:
        TINY_LIFECYCLE.move(agent, to=to, event=logged(to), changes={"state_since": NOW})

    assert refusal.value.code == "tiny_refused"
    assert str(refusal.value).startswith("坐席 1001 当前为“")
    assert stored(agent) == before
    assert history() == []


@pytest.mark.django_db
def test_the_step_reads_the_status_as_stored_not_as_the_caller_saw_it():
    agent = make_agent("1001", state=A.SIGNED_OUT)
    Agent.objects.filter(pk=agent.pk).update(state=A.BUSY)  # changed behind the caller's back

    with pytest.raises(Refused, match="当前为“忙碌”"):
        TINY_LIFECYCLE.move(agent, to=A.IDLE, event=logged(A.IDLE))

    assert stored(agent)["state"] == A.BUSY
    assert history() == []


@pytest.mark.django_db
def test_an_expected_state_guards_an_otherwise_allowed_step():
    agent = make_agent("1001", state=A.IDLE)
    before = stored(agent)

    with pytest.raises(Refused):
        TINY_LIFECYCLE.move(agent, to=A.BUSY, event=logged(A.BUSY), expect=[A.SIGNED_OUT])

    assert stored(agent) == before
    assert history() == []


@pytest.mark.django_db
def test_a_set_moves_only_the_rows_that_may_take_the_step_and_a_rerun_moves_none():
    idle = [make_agent(f"100{n}", state=A.IDLE) for n in range(3)]
    busy = make_agent("1009", state=A.BUSY)
    signed_out = make_agent("1010", state=A.SIGNED_OUT)
    ids = [busy.pk, idle[2].pk, signed_out.pk, idle[0].pk, idle[1].pk]
    untouched = [stored(busy), stored(signed_out)]

    with time_machine.travel(NOW, tick=False):
        moved = TINY_LIFECYCLE.move_many(
            ids, to=A.SIGNED_OUT, event=logged(A.SIGNED_OUT), changes={"state_since": NOW}
        )

    assert moved == sorted(agent.pk for agent in idle)
    assert [(stored(a)["state"], stored(a)["state_since"]) for a in idle] == [
        (A.SIGNED_OUT, NOW)
    ] * 3
    assert [stored(a)["updated_at"] for a in idle] == [NOW] * 3
    assert [stored(busy), stored(signed_out)] == untouched
    assert history() == [(pk, A.IDLE, A.SIGNED_OUT) for pk in moved]

    assert TINY_LIFECYCLE.move_many(ids, to=A.SIGNED_OUT, event=logged(A.SIGNED_OUT)) == []
    assert len(history()) == 3


@pytest.mark.django_db
def test_a_set_honours_the_expected_states():
    agents = [make_agent("1001", state=A.IDLE), make_agent("1002", state=A.SIGNED_OUT)]
    ids = [agent.pk for agent in agents]

    moved = TINY_LIFECYCLE.move_many(ids, to=A.IDLE, event=logged(A.IDLE), expect=[A.BUSY])

    assert moved == []
    assert [stored(agent)["state"] for agent in agents] == [A.IDLE, A.SIGNED_OUT]
    assert history() == []


@pytest.mark.django_db
def test_a_held_row_moves_from_the_status_it_was_read_with():
    agent = make_agent("1001", state=A.IDLE)
    held = Agent.objects.select_for_update().get(pk=agent.pk)

    with time_machine.travel(NOW, tick=False):
        step = TINY_LIFECYCLE.move_if_unchanged(
            held, to=A.BUSY, event=logged(A.BUSY), stale=stale, changes={"state_since": NOW}
        )

    assert (stored(agent)["state"], stored(agent)["state_since"]) == (A.BUSY, NOW)
    assert stored(agent)["updated_at"] == NOW
    assert (held.state, step.row) == (A.BUSY, held)
    assert history() == [(agent.pk, A.IDLE, A.BUSY)]


@pytest.mark.django_db
def test_a_held_row_changed_since_it_was_read_is_refused_as_stale():
    agent = make_agent("1001", state=A.IDLE)
    Agent.objects.filter(pk=agent.pk).update(state=A.SIGNED_OUT)
    before = stored(agent)

    with pytest.raises(Stale):
        TINY_LIFECYCLE.move_if_unchanged(agent, to=A.BUSY, event=logged(A.BUSY), stale=stale)

    assert stored(agent) == before
    assert agent.state == A.IDLE
    assert history() == []


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "to"), REFUSED)
def test_a_held_row_is_refused_a_step_the_table_does_not_allow(source, to):
    agent = make_agent("1001", state=source)
    before = stored(agent)

    with pytest.raises(Refused):
        TINY_LIFECYCLE.move_if_unchanged(agent, to=to, event=logged(to), stale=stale)

    assert stored(agent) == before
    assert history() == []


@pytest.mark.django_db
def test_each_way_costs_a_fixed_number_of_statements(django_assert_num_queries):
    one, held = make_agent("1001", state=A.IDLE), make_agent("1002", state=A.IDLE)
    many = [make_agent(f"11{n:02d}", state=A.IDLE).pk for n in range(30)]

    # SAVEPOINT, SELECT … FOR UPDATE, UPDATE, INSERT, RELEASE: the caller's row is not re-read.
    with django_assert_num_queries(5):
        TINY_LIFECYCLE.move(one, to=A.BUSY, event=logged(A.BUSY))
    # The same for thirty rows: one SELECT, one UPDATE, one INSERT of every event.
    with django_assert_num_queries(5):
        TINY_LIFECYCLE.move_many(many, to=A.SIGNED_OUT, event=logged(A.SIGNED_OUT))
    # SAVEPOINT, the conditional UPDATE, INSERT, RELEASE.
    with django_assert_num_queries(4):
        TINY_LIFECYCLE.move_if_unchanged(held, to=A.BUSY, event=logged(A.BUSY), stale=stale)
    assert len(history()) == 32


WORKERS = 8


def _race(attempt) -> list[str]:
    """Run `attempt(n)` in WORKERS threads released together; each names its outcome."""
    start = threading.Barrier(WORKERS)

    def run(n: int) -> str:
        try:
            start.wait()
            attempt(n)
            return "moved"
        except ApplicationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        return sorted(pool.map(run, range(WORKERS)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_steps_on_one_row_give_exactly_one_winner():
    agent = make_agent("1001", state=A.IDLE)
    copies = [Agent.objects.get(pk=agent.pk) for _ in range(WORKERS)]

    outcomes = _race(lambda n: TINY_LIFECYCLE.move(copies[n], to=A.BUSY, event=logged(A.BUSY)))

    assert outcomes == ["moved"] + ["tiny_refused"] * (WORKERS - 1)
    assert stored(agent)["state"] == A.BUSY
    assert history() == [(agent.pk, A.IDLE, A.BUSY)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_conditional_steps_from_one_read_give_exactly_one_winner():
    agent = make_agent("1001", state=A.IDLE)
    # Each worker read the row as idle before any of them moved it.
    reads = [Agent.objects.get(pk=agent.pk) for _ in range(WORKERS)]

    outcomes = _race(
        lambda n: TINY_LIFECYCLE.move_if_unchanged(
            reads[n], to=A.BUSY, event=logged(A.BUSY), stale=stale
        )
    )

    assert outcomes == ["moved"] + ["tiny_stale"] * (WORKERS - 1)
    assert stored(agent)["state"] == A.BUSY
    assert history() == [(agent.pk, A.IDLE, A.BUSY)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_sets_move_each_row_once():
    agents = [make_agent(f"10{n:02d}", state=A.IDLE) for n in range(20)]
    ids = [agent.pk for agent in agents]

    # Each worker asks for every row, in its own order: locks are still taken in id order.
    outcomes = _race(
        lambda n: TINY_LIFECYCLE.move_many(
            ids[n:] + ids[:n], to=A.SIGNED_OUT, event=logged(A.SIGNED_OUT)
        )
    )

    assert outcomes == ["moved"] * WORKERS
    assert sorted(pk for pk, _source, _to in history()) == sorted(ids)
    assert set(Agent.objects.values_list("state", flat=True)) == {A.SIGNED_OUT}
