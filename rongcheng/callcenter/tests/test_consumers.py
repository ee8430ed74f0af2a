"""/ws/callcenter/…: agents and supervisors only; a state change reaches the floor after its
commit."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from rongcheng.callcenter import callbacks, workspace
from rongcheng.callcenter.consumers import NOT_FOUND
from rongcheng.callcenter.models import CallbackRequest

# The consumer reads the session and the rows from other threads: they must be committed.
from rongcheng.callcenter.tests.factories import (
    T0,
    fresh_engine,
    grant_supervision,
    make_agent,
    make_callback,
    make_queue,
)
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.consumers import UNAUTHENTICATED

pytestmark = pytest.mark.django_db(transaction=True)


def headers_for(user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


async def refused(path: str, headers) -> int:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    assert not connected
    return code


def test_anonymous_users_and_non_agents_are_refused():
    agent_headers = headers_for(make_agent("1001").user)
    stranger_headers = headers_for(UserFactory())

    async def scenario():
        return [
            await refused("/ws/callcenter/floor/", headers_for()),
            await refused("/ws/callcenter/wallboard/", headers_for()),
            await refused("/ws/callcenter/floor/", stranger_headers),
            # An agent is not a supervisor.
            await refused("/ws/callcenter/wallboard/", agent_headers),
        ]

    assert async_to_sync(scenario)() == [UNAUTHENTICATED, UNAUTHENTICATED, NOT_FOUND, NOT_FOUND]


def test_a_state_change_reaches_the_agents_and_the_wallboard():
    fresh_engine()
    agent = make_agent("1001")
    colleague_headers = headers_for(make_agent("1002").user)
    supervisor_headers = headers_for(grant_supervision(UserFactory()))

    async def scenario():
        floor = WebsocketCommunicator(
            application, "/ws/callcenter/floor/", headers=colleague_headers
        )
        board = WebsocketCommunicator(
            application, "/ws/callcenter/wallboard/", headers=supervisor_headers
        )
        assert (await floor.connect())[0] and (await board.connect())[0]
        await sync_to_async(workspace.ready)(agent, now=agent.created_at)
        pushed = [
            await floor.receive_json_from(timeout=5),
            await board.receive_json_from(timeout=5),
        ]
        await floor.disconnect()
        await board.disconnect()
        return pushed

    expected = {"type": "agent", "agent": agent.pk, "state": "idle", "call": None}
    assert async_to_sync(scenario)() == [expected, expected]


def test_a_call_back_state_change_reaches_the_floor():
    queue = make_queue("consult", skill="consult")
    agent = make_agent("1001", skills={"consult": 3})
    colleague_headers = headers_for(make_agent("1002").user)
    callback = make_callback(
        queue, T0, number="13900000001", status=CallbackRequest.Status.CALLING, agent=agent
    )

    async def scenario():
        floor = WebsocketCommunicator(
            application, "/ws/callcenter/floor/", headers=colleague_headers
        )
        assert (await floor.connect())[0]
        await sync_to_async(callbacks.customer_answered)(
            callback.last_call.engine_call_id, at=T0 + timedelta(seconds=30)
        )
        pushed = await floor.receive_json_from(timeout=5)
        await floor.disconnect()
        return pushed

    assert async_to_sync(scenario)() == {
        "type": "callback",
        "callback": callback.pk,
        "queue": queue.pk,
        "status": "done",
        "agent": agent.pk,
    }
