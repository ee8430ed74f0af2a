from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from rongcheng.callcenter import cti
from rongcheng.callcenter.engine import FakeEngine
from rongcheng.callcenter.models import Agent, AgentEvent, Call, CallLeg
from rongcheng.callcenter.tests.factories import T0, make_agent, make_queue, make_waiting_call

WORKERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dispatchers_racing_ring_each_free_agent_once_for_one_call():
    queue = make_queue("consult", skill="consult", digit="2")
    agents = [
        make_agent(f"100{n}", state=Agent.State.IDLE, skills={"consult": 3}, idle_since=T0)
        for n in range(3)
    ]
    for n in range(10):
        make_waiting_call(queue, T0 + timedelta(seconds=n), number=f"0319555000{n}")
    engines = [FakeEngine() for _ in range(WORKERS)]

    def attempt(engine: FakeEngine) -> None:
        try:
            cti.dispatch(queue, engine=engine, now=T0 + timedelta(seconds=30))
        finally:
            connection.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(attempt, engines))

    legs = CallLeg.objects.all()
    assert sorted(leg.agent.number for leg in legs) == ["1000", "1001", "1002"]
    assert len({leg.call_id for leg in legs}) == 3
    assert Call.objects.exclude(agent=None).count() == 3
    assert (
        sorted(a.state for a in Agent.objects.filter(pk__in=[a.pk for a in agents]))
        == ["ringing"] * 3
    )
    assert AgentEvent.objects.count() == 3
    originated = [c for engine in engines for c in engine.commands if c[0] == "originate"]
    assert sorted(c[1] for c in originated) == sorted(leg.engine_leg_id for leg in legs)
