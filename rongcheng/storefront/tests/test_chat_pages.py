"""The shopper's chat and message-center pages: participants only, the header's count."""

import pytest
from django.urls import reverse

from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import UserFactory
from rongcheng.messaging import letters, services
from rongcheng.messaging.models import ChatMessage, Conversation, Letter
from rongcheng.messaging.tests.factories import make_platform_agent, make_store_team
from rongcheng.notifications.services import notices_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(regions):
    return make_store_team(regions["150600"], name="东胜旗舰店")


def test_chat_from_a_product_page_opens_the_stores_conversation(client, member, team):
    scarf = make_product(name="羊绒围巾")
    client.force_login(member)
    response = client.get(
        reverse("storefront:chat_store", args=[team.store.pk]) + f"?product={scarf.pk}"
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:chat", args=[conversation.pk])
    assert (conversation.store_id, conversation.product_id) == (team.store.pk, scarf.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "东胜旗舰店" in html
    assert f'data-socket="/ws/chat/{conversation.pk}/"' in html
    assert "羊绒围巾" in html


def test_the_chat_page_shows_the_history_and_reads_it(
    client, member, team, django_assert_max_num_queries
):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.message_send(sender=member, conversation_id=conversation.pk, body="有货吗")
    answer = services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="有的")
    client.force_login(member)
    with django_assert_max_num_queries(25):
        html = client.get(reverse("storefront:chat", args=[conversation.pk])).content.decode()
    assert html.index("有货吗") < html.index("有的")
    conversation.refresh_from_db()
    assert conversation.customer_read_id == answer.pk
    assert Letter.objects.get().read_at is not None  # the offline letter about it


def test_another_members_conversation_answers_404_over_http(client, member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    client.force_login(UserFactory())
    assert client.get(reverse("storefront:chat", args=[conversation.pk])).status_code == 404
    response = client.post(reverse("storefront:chat_send", args=[conversation.pk]), {"body": "x"})
    assert response.status_code == 302  # back to the page, which answers 404
    assert ChatMessage.objects.count() == 0


def test_sending_by_post_answers_json_for_scripts(client, member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    client.force_login(member)
    response = client.post(
        reverse("storefront:chat_send", args=[conversation.pk]),
        {"body": "你好"},
        headers={"Accept": "application/json"},
    )
    message = ChatMessage.objects.get()
    assert response.json()["id"] == message.pk
    refused = client.post(
        reverse("storefront:chat_send", args=[conversation.pk]),
        {"body": "羊" * 501},
        headers={"Accept": "application/json"},
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "message_invalid")


def test_header_count_is_asked_by_script_and_anonymous_pages_hold_none(client, member):
    notices_send(recipient_ids=[member.pk], kind="new_order", title="新订单")
    sender = UserFactory()
    letters.letter_send(sender=sender, to_username=member.username, subject="你好", body="在吗")
    anonymous = client.get(reverse("storefront:home")).content.decode()
    assert "data-unread-url" not in anonymous
    assert client.get(reverse("storefront:member_unread")).json() == {"unread": 0}
    client.force_login(member)
    assert (
        'data-unread-url="/member/messages/unread/"'
        in client.get(reverse("storefront:home")).content.decode()
    )
    assert client.get(reverse("storefront:member_unread")).json() == {"unread": 2}


def test_message_center_boxes_and_a_complaint_answered(client, member):
    agent = make_platform_agent(real_name="赵客服")
    client.force_login(member)
    response = client.post(
        reverse("storefront:member_letter_write"),
        {"kind": "complaint", "subject": "快递太慢", "body": "五天还没到"},
    )
    complaint = Letter.objects.get()
    assert response["Location"] == reverse("storefront:member_letter", args=[complaint.pk])
    assert (complaint.kind, complaint.recipient_party) == ("complaint", "platform")
    assert (
        "快递太慢"
        in client.get(reverse("storefront:member_messages") + "?box=sent").content.decode()
    )

    client.force_login(agent)
    listing = client.get(reverse("service:letters") + "?kind=complaint").content.decode()
    assert "快递太慢" in listing
    client.post(reverse("service:letter", args=[complaint.pk]), {"body": "已催促快递，抱歉"})
    answer = Letter.objects.get(reply_to=complaint)
    assert (answer.kind, answer.recipient_id, answer.sender_party) == (
        "answer",
        member.pk,
        "platform",
    )

    client.force_login(member)
    inbox = client.get(reverse("storefront:member_messages")).content.decode()
    assert "Re: 快递太慢" in inbox
    page = client.get(reverse("storefront:member_letter", args=[answer.pk])).content.decode()
    assert "已催促快递，抱歉" in page
    answer.refresh_from_db()
    assert answer.read_at is not None


def test_a_member_cannot_read_anothers_letter_nor_the_platforms_box(client, member):
    letter = letters.letter_send(
        sender=UserFactory(), to_username=member.username, subject="私信", body="内容"
    )
    client.force_login(UserFactory())
    assert client.get(reverse("storefront:member_letter", args=[letter.pk])).status_code == 404
    assert client.get(reverse("service:letters")).status_code == 403
    assert client.get(reverse("service:chat")).status_code == 403
    letter.refresh_from_db()
    assert letter.read_at is None


def test_system_notices_appear_in_the_message_center(client, member):
    notices_send(
        recipient_ids=[member.pk], kind="payment_refund", title="付款已退回", reference="RC1"
    )
    client.force_login(member)
    html = client.get(reverse("storefront:member_messages") + "?box=notices").content.decode()
    assert "付款已退回" in html
    assert letters.unread_count(member=member) == 0


def test_the_message_center_and_chat_speak_english_at_en(client, member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    client.force_login(member)
    center = client.get("/en/member/messages/").content.decode()
    assert "Message center" in center and "Inbox" in center
    assert "消息中心" not in center and "收件箱" not in center
    chat = client.get(f"/en/chat/{conversation.pk}/").content.decode()
    assert "End conversation" in chat and "结束会话" not in chat
