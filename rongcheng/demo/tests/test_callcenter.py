import pytest

from rongcheng.callcenter.models import Agent, AgentSkill, IvrChoice
from rongcheng.demo.accounts import load_demo_users
from rongcheng.demo.callcenter import load_demo_callcenter
from rongcheng.demo.hotline import load_hotline

pytestmark = pytest.mark.django_db


def test_the_demo_agents_and_ivr_queues_and_loading_twice_changes_nothing():
    load_demo_users()
    load_hotline()
    assert load_demo_callcenter() == [("cs_agent", "1001"), ("cs_supervisor", "9001")]
    assert load_demo_callcenter() == []
    assert list(IvrChoice.objects.order_by("digit").values_list("digit", "queue__code")) == [
        ("0", "other"),
        ("1", "service"),
        ("2", "consult"),
        ("3", "complaint"),
    ]
    agents = {a.user.username: a for a in Agent.objects.select_related("user")}
    assert {name: a.number for name, a in agents.items()} == {
        "cs_agent": "1001",
        "cs_supervisor": "9001",
    }
    assert AgentSkill.objects.filter(agent=agents["cs_agent"], level=3).count() == 4
    # The supervisor role holds the wallboard's permission; the agent role does not.
    assert agents["cs_supervisor"].user.has_perm("callcenter.supervise_calls")
    assert not agents["cs_agent"].user.has_perm("callcenter.supervise_calls")
