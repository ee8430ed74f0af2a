import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from config.asgi import application
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.consumers import UNAUTHENTICATED
from rongcheng.notifications.push import notify_user

# The consumer reads the session from another thread, so the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = {"kind": "order.shipped", "order": "RC20260301000123", "title": "您的订单已发货"}


def session_headers(client, user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def connect(headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


def test_anonymous_visitor_is_refused(client):
    async def scenario():
        communicator = connect(session_headers(client))
        return await communicator.connect()

    assert async_to_sync(scenario)() == (False, UNAUTHENTICATED)


def test_foreign_origin_is_refused(client, member):
    headers = [
        (b"origin", b"https://evil.example.com") if name == b"origin" else (name, value)
        for name, value in session_headers(client, member)
    ]

    async def scenario():
        return await connect(headers).connect()

    connected, _ = async_to_sync(scenario)()
    assert connected is False


def test_member_receives_what_is_pushed_to_them_only(client, member):
    other = UserFactory()
    member_headers = session_headers(client, member)
    other_headers = session_headers(client.__class__(), other)

    def push_to_member():
        with transaction.atomic():
            notify_user(user_id=member.pk, payload=PAYLOAD)

    async def scenario():
        mine, theirs = connect(member_headers), connect(other_headers)
        assert (await mine.connect())[0] and (await theirs.connect())[0]
        await sync_to_async(push_to_member)()
        received = await mine.receive_json_from(timeout=5)
        nothing_for_other = await theirs.receive_nothing(timeout=0.2)
        await mine.disconnect()
        await theirs.disconnect()
        return received, nothing_for_other

    assert async_to_sync(scenario)() == (PAYLOAD, True)


def test_nothing_is_pushed_when_the_transaction_rolls_back(client, member):
    headers = session_headers(client, member)

    def push_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_user(user_id=member.pk, payload=PAYLOAD)
            raise RuntimeError("order placement failed")

    async def scenario():
        communicator = connect(headers)
        assert (await communicator.connect())[0]
        await sync_to_async(push_then_fail)()
        nothing = await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True
