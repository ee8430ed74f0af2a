"""The member's chat and message-center API: participants only, limits, the contract's codes."""

from datetime import timedelta

import pytest

from rongcheng.accounts.tokens import api_token_create
from rongcheng.core.testing.factories import UserFactory
from rongcheng.messaging import services
from rongcheng.messaging.models import ChatMessage, Letter
from rongcheng.messaging.tests.factories import make_store_team

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, key = api_token_create(user=user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def team(regions):
    return make_store_team(regions["150600"], name="东胜旗舰店")


def test_open_send_read_and_list(client, member, team):
    auth = bearer(member)
    opened = client.post(
        "/api/messages/chats",
        {"store_id": team.store.pk},
        content_type="application/json",
        headers=auth,
    )
    assert opened.status_code == 200
    chat = opened.json()
    assert (chat["kind"], chat["title"], chat["status"]) == ("store", "东胜旗舰店", "waiting")
    assert chat["socket"] == f"/ws/chat/{chat['id']}/"
    sent = client.post(
        f"/api/messages/chats/{chat['id']}/messages",
        {"body": "有驼色吗"},
        content_type="application/json",
        headers=auth,
    )
    assert sent.status_code == 201
    assert (sent.json()["body"], sent.json()["side"]) == ("有驼色吗", "customer")
    answer = services.message_send(sender=team.clerk, conversation_id=chat["id"], body="有的")
    listed = client.get("/api/messages/chats", headers=auth).json()
    assert [(c["id"], c["unread"]) for c in listed] == [(chat["id"], 1)]
    after = sent.json()["id"]
    missed = client.get(f"/api/messages/chats/{chat['id']}/messages?after={after}", headers=auth)
    assert [m["body"] for m in missed.json()] == ["有的"]
    read = client.post(
        f"/api/messages/chats/{chat['id']}/read",
        {"up_to": answer.pk},
        content_type="application/json",
        headers=auth,
    )
    assert read.json() == {"up_to": answer.pk}
    assert client.get("/api/messages/chats", headers=auth).json()[0]["unread"] == 0


def test_another_members_conversation_is_not_found(client, member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    auth = bearer(UserFactory())
    for response in (
        client.get(f"/api/messages/chats/{conversation.pk}/messages", headers=auth),
        client.post(
            f"/api/messages/chats/{conversation.pk}/messages",
            {"body": "hi"},
            content_type="application/json",
            headers=auth,
        ),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "conversation_not_found")
    assert ChatMessage.objects.count() == 0


def test_the_rate_limit_answers_429(client, member, team, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "CHAT_RATE_LIMIT": (1, timedelta(minutes=1))}
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    auth = bearer(member)
    url = f"/api/messages/chats/{conversation.pk}/messages"
    first = client.post(url, {"body": "一"}, content_type="application/json", headers=auth)
    second = client.post(url, {"body": "二"}, content_type="application/json", headers=auth)
    assert (first.status_code, second.status_code) == (201, 429)
    assert second.json()["code"] == "chat_rate_limited"
    assert ChatMessage.objects.count() == 1


def test_letters_blocking_and_unread(client, member):
    friend = UserFactory(username="rcfriend2")
    auth = bearer(member)
    wrote = client.post(
        "/api/messages/letters",
        {"kind": "message", "to": "rcfriend2", "subject": "周末", "body": "一起逛店？"},
        content_type="application/json",
        headers=auth,
    )
    assert wrote.status_code == 201
    friend_auth = bearer(friend)
    assert client.get("/api/messages/unread", headers=friend_auth).json() == {"unread": 1}
    inbox = client.get("/api/messages/letters", headers=friend_auth).json()
    assert [(i["subject"], i["sender"], i["read"]) for i in inbox["items"]] == [
        ("周末", "张三", False)
    ]
    blocked = client.post(
        "/api/messages/blocks",
        {"username": member.username},
        content_type="application/json",
        headers=friend_auth,
    )
    assert blocked.status_code == 204
    refused = client.post(
        "/api/messages/letters",
        {"kind": "message", "to": "rcfriend2", "subject": "在吗", "body": "？"},
        content_type="application/json",
        headers=auth,
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "member_blocked")
    assert Letter.objects.count() == 1
