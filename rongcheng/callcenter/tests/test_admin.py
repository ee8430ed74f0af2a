import pytest

from rongcheng.callcenter.models import AgentEvent
from rongcheng.callcenter.tests.factories import T0, make_agent, make_queue, make_waiting_call
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["agentgroup", "skill", "agent", "queue", "ivrprompt", "ivrmenu"])
def test_the_set_up_pages_open(admin_client, model):
    make_agent("1001", skills={"consult": 3})
    make_queue("consult", skill="consult", digit="2")
    assert admin_client.get(f"/backoffice/callcenter/{model}/").status_code == 200
    assert admin_client.get(f"/backoffice/callcenter/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", ["call", "agentevent", "recording"])
def test_the_records_are_read_only(admin_client, model):
    agent = make_agent("1001")
    call = make_waiting_call(make_queue("consult", skill="consult"), T0, number="01066667777")
    AgentEvent.objects.create(agent=agent, from_state="signed_out", to_state="idle", created_at=T0)

    listing = admin_client.get(f"/backoffice/callcenter/{model}/")

    assert listing.status_code == 200
    assert admin_client.get(f"/backoffice/callcenter/{model}/add/").status_code == 403
    if model == "call":
        assert "01066667777" in listing.content.decode()
        detail = admin_client.get(f"/backoffice/callcenter/call/{call.pk}/change/")
        assert detail.status_code == 200
