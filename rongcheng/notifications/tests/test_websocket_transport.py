"""The WebSocket transport in production: idle sockets live on Redis, unknown paths are 404."""

import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction

from config.asgi import application
from config.routing import websocket_not_found
from rongcheng.notifications.push import notify_user
from rongcheng.notifications.tests.test_push import PAYLOAD, connect, session_headers

# Longer than every timeout on the way (channels_redis's 5 s blocking read, the redis client's
# socket timeout), as an idle shopper's page is.
IDLE_SECONDS = 30


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_idle_websocket_on_redis_still_receives_after_30_seconds(client, member):
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"
    headers = session_headers(client, member)

    def push():
        with transaction.atomic():
            notify_user(user_id=member.pk, payload=PAYLOAD)

    async def scenario():
        socket = connect(headers)
        assert (await socket.connect())[0]
        started = time.monotonic()
        # Nothing arrives while idle, and the consumer does not die of a read timeout.
        assert await socket.receive_nothing(timeout=IDLE_SECONDS, interval=1)
        idle = time.monotonic() - started
        await sync_to_async(push)()
        received = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return idle, received

    idle, received = async_to_sync(scenario)()
    assert idle >= IDLE_SECONDS
    assert received == PAYLOAD


def test_an_unknown_websocket_address_is_refused_not_an_error(client):
    async def scenario():
        socket = WebsocketCommunicator(
            application, "/ws/no-such-thing/", headers=session_headers(client)
        )
        return await socket.connect()

    assert async_to_sync(scenario)() == (False, 1008)


def test_an_unknown_websocket_address_answers_404_where_the_server_can():
    sent = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "extensions": {"websocket.http.response": {}}}
    async_to_sync(websocket_not_found)(scope, receive, send)
    assert sent == [
        {
            "type": "websocket.http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        },
        {"type": "websocket.http.response.body", "body": b"Not Found"},
    ]
