"""Chat over Channels: delivery, persistence, reconnection, participants only, rate limit."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from rongcheng.core.testing.factories import UserFactory
from rongcheng.messaging import services
from rongcheng.messaging.consumers import NOT_FOUND
from rongcheng.messaging.models import ChatMessage
from rongcheng.messaging.presence import is_online
from rongcheng.messaging.tests.factories import make_store_team
from rongcheng.notifications.consumers import UNAUTHENTICATED

# The consumer reads the session and the rows from other threads: they must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def headers_for(user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def chat(conversation_id: int, headers, after: int = 0) -> WebsocketCommunicator:
    path = f"/ws/chat/{conversation_id}/" + (f"?after={after}" if after else "")
    return WebsocketCommunicator(application, path, headers=headers)


@pytest.fixture
def team(regions):
    return make_store_team(regions["150600"], name="东胜旗舰店")


@pytest.fixture
def conversation(member, team):
    return services.conversation_open(member=member, store_id=team.store.pk)


def test_a_message_is_stored_and_delivered_to_both_sides(member, team, conversation):
    member_headers, clerk_headers = headers_for(member), headers_for(team.clerk)

    async def scenario():
        shopper = chat(conversation.pk, member_headers)
        clerk = chat(conversation.pk, clerk_headers)
        assert (await shopper.connect())[0] and (await clerk.connect())[0]
        await shopper.send_json_to({"type": "message", "body": "这条围巾有驼色吗？"})
        at_clerk = await clerk.receive_json_from(timeout=5)
        at_shopper = await shopper.receive_json_from(timeout=5)
        await shopper.disconnect()
        await clerk.disconnect()
        return at_clerk, at_shopper

    at_clerk, at_shopper = async_to_sync(scenario)()
    stored = ChatMessage.objects.get(conversation=conversation)
    assert stored.body == "这条围巾有驼色吗？"
    assert at_clerk == at_shopper
    assert (at_clerk["id"], at_clerk["body"], at_clerk["side"], at_clerk["sender"]) == (
        stored.pk,
        "这条围巾有驼色吗？",
        "customer",
        "张三",
    )


def test_reconnecting_sends_what_arrived_meanwhile(member, team, conversation):
    first = services.message_send(sender=member, conversation_id=conversation.pk, body="在吗？")
    services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="在的")
    services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="请问？")

    member_headers = headers_for(member)

    async def scenario():
        shopper = chat(conversation.pk, member_headers, after=first.pk)
        assert (await shopper.connect())[0]
        missed = [await shopper.receive_json_from(timeout=5) for _ in range(2)]
        nothing_more = await shopper.receive_nothing(timeout=0.2)
        await shopper.disconnect()
        return missed, nothing_more

    missed, nothing_more = async_to_sync(scenario)()
    assert [m["body"] for m in missed] == ["在的", "请问？"]
    assert nothing_more


def test_read_receipts_reach_the_other_side(member, team, conversation):
    answer = services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="您好")

    member_headers, clerk_headers = headers_for(member), headers_for(team.clerk)

    async def scenario():
        shopper = chat(conversation.pk, member_headers)
        clerk = chat(conversation.pk, clerk_headers)
        assert (await shopper.connect())[0] and (await clerk.connect())[0]
        await shopper.send_json_to({"type": "read", "up_to": answer.pk})
        receipt = await clerk.receive_json_from(timeout=5)
        await shopper.disconnect()
        await clerk.disconnect()
        return receipt

    assert async_to_sync(scenario)() == {"type": "read", "side": "customer", "up_to": answer.pk}
    conversation.refresh_from_db()
    assert conversation.customer_read_id == answer.pk


@pytest.mark.parametrize("who", ["another member", "another store's clerk", "anonymous"])
def test_another_members_conversation_is_refused(who, member, team, conversation, regions):
    outsider = {
        "another member": lambda: UserFactory(),
        "another store's clerk": lambda: make_store_team(regions["150600"]).clerk,
        "anonymous": lambda: None,
    }[who]()

    headers = headers_for(outsider)

    async def scenario():
        return await chat(conversation.pk, headers).connect()

    expected = UNAUTHENTICATED if outsider is None else NOT_FOUND
    assert async_to_sync(scenario)() == (False, expected)


def test_a_missing_conversation_is_refused_like_a_foreign_one(member):
    headers = headers_for(member)

    async def scenario():
        return await chat(987654, headers).connect()

    assert async_to_sync(scenario)() == (False, NOT_FOUND)


def test_the_rate_limit_answers_an_error_and_stores_nothing_more(member, conversation, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "CHAT_RATE_LIMIT": (2, timedelta(minutes=1))}

    member_headers = headers_for(member)

    async def scenario():
        shopper = chat(conversation.pk, member_headers)
        assert (await shopper.connect())[0]
        answers = []
        for n in range(3):
            await shopper.send_json_to({"type": "message", "body": f"第{n}条"})
            answers.append(await shopper.receive_json_from(timeout=5))
        await shopper.disconnect()
        return answers

    answers = async_to_sync(scenario)()
    assert [a["type"] for a in answers] == ["message", "message", "error"]
    assert answers[2]["code"] == "chat_rate_limited"
    assert ChatMessage.objects.filter(conversation=conversation).count() == 2


def test_an_open_chat_marks_the_member_online_until_it_closes(member, conversation):
    member_headers = headers_for(member)

    async def scenario():
        shopper = chat(conversation.pk, member_headers)
        assert (await shopper.connect())[0]
        online = await sync_to_async(is_online)(member.pk)
        await shopper.disconnect()
        return online

    assert async_to_sync(scenario)() is True
    assert is_online(member.pk) is False


def test_the_team_socket_is_for_the_stores_agents_only(member, team, regions):
    other = make_store_team(regions["150600"])

    async def connect(headers):
        communicator = WebsocketCommunicator(
            application, f"/ws/chat/team/{team.store.pk}/", headers=headers
        )
        connected, code = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, code

    assert async_to_sync(connect)(headers_for(team.clerk)) == (True, None)
    assert async_to_sync(connect)(headers_for(other.clerk)) == (False, NOT_FOUND)
    assert async_to_sync(connect)(headers_for(member)) == (False, NOT_FOUND)
