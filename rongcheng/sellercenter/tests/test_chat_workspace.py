"""The store's chat workspace and mailbox: its own staff only, assignment, transfer."""

import pytest
from django.urls import reverse

from rongcheng.messaging import letters, services
from rongcheng.messaging.models import CannedReply, Conversation, Letter
from rongcheng.messaging.tests.factories import make_platform_agent, make_store_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(regions):
    return make_store_team(regions["150600"], name="东胜旗舰店")


def workspace_url(team, **query) -> str:
    url = reverse("sellercenter:chat", args=[team.store.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_waiting_list_take_and_the_customer_beside_the_chat(
    client, member, team, django_assert_max_num_queries
):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.message_send(sender=member, conversation_id=conversation.pk, body="请问有XL吗")
    client.force_login(team.clerk)
    waiting = client.get(workspace_url(team, tab="waiting")).content.decode()
    assert "张三" in waiting
    client.post(reverse("sellercenter:chat_take", args=[team.store.pk, conversation.pk]))
    conversation.refresh_from_db()
    assert (conversation.agent_id, conversation.status) == (team.clerk.pk, "open")
    with django_assert_max_num_queries(30):
        html = client.get(workspace_url(team, tab="mine", c=conversation.pk)).content.decode()
    assert "请问有XL吗" in html
    assert "客户资料" in html and member.username in html
    assert f'data-team-socket="/ws/chat/team/{team.store.pk}/"' in html


def test_transfer_and_canned_replies(client, member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.conversation_take(agent=team.clerk, conversation_id=conversation.pk)
    client.force_login(team.clerk)
    client.post(
        reverse("sellercenter:chat_transfer", args=[team.store.pk, conversation.pk]),
        {"to": str(team.manager.pk)},
    )
    conversation.refresh_from_db()
    assert conversation.agent_id == team.manager.pk
    client.post(
        reverse("sellercenter:chat_canned", args=[team.store.pk]),
        {"title": "问候", "body": "您好，欢迎光临东胜旗舰店！"},
    )
    assert list(CannedReply.objects.values_list("store_id", "title")) == [(team.store.pk, "问候")]
    # The side panel lists them with no conversation open too.
    html = client.get(workspace_url(team, tab="waiting")).content.decode()
    assert "<strong>问候</strong>" in html


def test_another_stores_clerk_gets_404_and_changes_nothing(client, member, team, regions):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    other = make_store_team(regions["150600"])
    client.force_login(other.clerk)
    assert client.get(workspace_url(team)).status_code == 404
    # Their own workspace does not open this store's conversation either.
    own = reverse("sellercenter:chat", args=[other.store.pk]) + f"?c={conversation.pk}"
    assert client.get(own).status_code == 404
    client.post(reverse("sellercenter:chat_take", args=[other.store.pk, conversation.pk]))
    conversation.refresh_from_db()
    assert (conversation.agent_id, conversation.status) == (None, "waiting")


def test_the_platform_desk_serves_platform_conversations(client, member):
    agent = make_platform_agent(real_name="赵客服")
    conversation = services.conversation_open(member=member)
    client.force_login(agent)
    client.post(reverse("service:chat_seat"), {"accepting": "1"})
    conversation.refresh_from_db()
    assert (conversation.agent_id, conversation.kind) == (agent.pk, Conversation.Kind.PLATFORM)
    html = client.get(reverse("service:chat") + f"?c={conversation.pk}").content.decode()
    assert "赵客服" in html


def test_the_store_mailbox_answers_as_the_store(client, member, team, regions):
    letter = letters.letter_send(
        sender=member, to_store_id=team.store.pk, subject="营业时间", body="周日开门吗？"
    )
    other = make_store_team(regions["150600"])
    client.force_login(other.clerk)
    assert (
        client.get(reverse("sellercenter:letter", args=[team.store.pk, letter.pk])).status_code
        == 404
    )
    client.force_login(team.clerk)
    assert (
        "营业时间"
        in client.get(reverse("sellercenter:letters", args=[team.store.pk])).content.decode()
    )
    client.post(
        reverse("sellercenter:letter", args=[team.store.pk, letter.pk]), {"body": "周日照常营业"}
    )
    answer = Letter.objects.get(reply_to=letter)
    assert (answer.sender_party, answer.sender_store_id, answer.recipient_id) == (
        "store",
        team.store.pk,
        member.pk,
    )


def test_the_customer_service_roles_reach_the_platform_desk_and_others_do_not(client):
    from rongcheng.accounts import roles
    from rongcheng.accounts.tests.factories import staff_with_role

    client.force_login(staff_with_role(roles.CS_AGENT))
    assert client.get(reverse("service:chat")).status_code == 200
    client.force_login(staff_with_role(roles.STORE_CLERK))
    assert client.get(reverse("service:chat")).status_code == 403
