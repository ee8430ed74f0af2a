from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rongcheng.accounts.models import GroupParent
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import UserFactory
from rongcheng.core.testing.media import SVG, picture
from rongcheng.messaging import services
from rongcheng.messaging.errors import (
    ChatRateLimited,
    ConversationNotFound,
    ConversationTaken,
    MemberBlocked,
    MessageInvalid,
    NotAnAgent,
    RecipientNotFound,
)
from rongcheng.messaging.models import AgentSeat, ChatMessage, Conversation, Letter
from rongcheng.messaging.presence import presence_mark
from rongcheng.messaging.selectors import conversation_messages, member_conversations
from rongcheng.messaging.tests.factories import make_platform_agent, make_store_team
from rongcheng.stores.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db
Status = Conversation.Status


@pytest.fixture
def team(regions):
    return make_store_team(regions["150600"], name="东胜旗舰店")


def test_opening_twice_gives_the_same_live_conversation_with_the_product(member, team):
    scarf = make_product(name="羊绒围巾")
    first = services.conversation_open(member=member, store_id=team.store.pk)
    again = services.conversation_open(member=member, store_id=team.store.pk, product_id=scarf.pk)
    assert again.pk == first.pk
    assert (again.kind, again.status, again.product_id) == ("store", Status.WAITING, scarf.pk)
    assert Conversation.objects.count() == 1


def test_a_closed_store_takes_no_chat(member, team):
    team.store.is_active = False
    team.store.save()
    with pytest.raises(RecipientNotFound):
        services.conversation_open(member=member, store_id=team.store.pk)
    assert Conversation.objects.count() == 0


def test_the_next_free_agent_with_fewest_open_conversations_gets_it(member, team):
    services.seat_set(agent=team.clerk, store_id=team.store.pk, accepting=True)
    services.seat_set(agent=team.manager, store_id=team.store.pk, accepting=True)
    first = services.conversation_open(member=member, store_id=team.store.pk)
    second = services.conversation_open(member=UserFactory(), store_id=team.store.pk)
    assert {first.agent_id, second.agent_id} == {team.clerk.pk, team.manager.pk}
    assert (first.status, second.status) == (Status.OPEN, Status.OPEN)
    greeting = ChatMessage.objects.get(conversation=first)
    assert greeting.kind == ChatMessage.Kind.EVENT
    assert greeting.body == f"客服 {first.agent.display_name} 为您服务。"


def test_without_a_free_agent_it_waits_until_one_starts(member, team, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "CHAT_AGENT_MAX_OPEN": 1}
    first = services.conversation_open(member=member, store_id=team.store.pk)
    second = services.conversation_open(member=UserFactory(), store_id=team.store.pk)
    assert first.status == second.status == Status.WAITING
    services.seat_set(agent=team.clerk, store_id=team.store.pk, accepting=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.agent_id, first.status) == (team.clerk.pk, Status.OPEN)
    assert (second.agent_id, second.status) == (None, Status.WAITING)


def test_another_stores_clerk_is_not_an_agent_of_this_store(member, team, regions):
    other = make_store_team(regions["150600"])
    with pytest.raises(NotAnAgent):
        services.seat_set(agent=other.clerk, store_id=team.store.pk, accepting=True)
    assert AgentSeat.objects.count() == 0


def test_take_then_a_second_take_is_refused(member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.conversation_take(agent=team.clerk, conversation_id=conversation.pk)
    with pytest.raises(ConversationTaken):
        services.conversation_take(agent=team.manager, conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.agent_id == team.clerk.pk


def test_transfer_to_a_named_colleague_only(member, team, regions):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.conversation_take(agent=team.clerk, conversation_id=conversation.pk)
    stranger = make_store_team(regions["150600"]).clerk
    with pytest.raises(RecipientNotFound):
        services.conversation_transfer(
            agent=team.clerk, conversation_id=conversation.pk, to_user_id=stranger.pk
        )
    services.conversation_transfer(
        agent=team.clerk, conversation_id=conversation.pk, to_user_id=team.manager.pk
    )
    conversation.refresh_from_db()
    assert conversation.agent_id == team.manager.pk
    assert conversation.messages.last().body == "已转接给客服 王店长。"


def test_messages_are_stored_with_read_positions(member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    asked = services.message_send(sender=member, conversation_id=conversation.pk, body=" 有货吗？ ")
    answer = services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="有的")
    conversation.refresh_from_db()
    assert asked.body == "有货吗？"
    assert (conversation.agent_id, conversation.status) == (team.clerk.pk, Status.OPEN)
    assert (conversation.customer_read_id, conversation.other_read_id) == (asked.pk, answer.pk)
    assert (
        services.conversation_read(user=member, conversation_id=conversation.pk, up_to=answer.pk)
        == answer.pk
    )
    # A read position never moves back.
    assert (
        services.conversation_read(user=member, conversation_id=conversation.pk, up_to=asked.pk)
        == answer.pk
    )
    assert [m["body"] for m in conversation_messages(conversation=conversation)] == [
        "有货吗？",
        "有的",
    ]
    assert [
        m["body"] for m in conversation_messages(conversation=conversation, after=asked.pk)
    ] == ["有的"]


def test_only_participants_may_write_or_read(member, team, regions):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    outsiders = [UserFactory(), make_store_team(regions["150600"]).clerk, make_platform_agent()]
    for outsider in outsiders:
        with pytest.raises(ConversationNotFound):
            services.message_send(sender=outsider, conversation_id=conversation.pk, body="hi")
        with pytest.raises(ConversationNotFound):
            services.conversation_read(user=outsider, conversation_id=conversation.pk, up_to=1)
    assert ChatMessage.objects.filter(conversation=conversation).count() == 0


def test_size_and_rate_limits(member, team, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "CHAT_RATE_LIMIT": (3, timedelta(minutes=1))}
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    with pytest.raises(MessageInvalid):
        services.message_send(sender=member, conversation_id=conversation.pk, body="羊" * 501)
    with pytest.raises(MessageInvalid):
        services.message_send(sender=member, conversation_id=conversation.pk, body="   ")
    for n in range(3):
        services.message_send(sender=member, conversation_id=conversation.pk, body=f"第{n}条")
    with pytest.raises(ChatRateLimited):
        services.message_send(sender=member, conversation_id=conversation.pk, body="第4条")
    assert ChatMessage.objects.filter(sender=member).count() == 3


def test_pictures_are_checked_and_resized(member, team, media_root):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    with pytest.raises(MessageInvalid):
        services.message_send(
            sender=member,
            conversation_id=conversation.pk,
            image=SimpleUploadedFile("x.svg", SVG, content_type="image/svg+xml"),
        )
    big = SimpleUploadedFile("photo.jpg", picture("JPEG", size=(3000, 1500)))
    message = services.message_send(sender=member, conversation_id=conversation.pk, image=big)
    assert message.kind == ChatMessage.Kind.IMAGE
    with Image.open(message.image.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1280, 640))
    assert ChatMessage.objects.count() == 1


def test_member_threads_and_blocking(member):
    friend = UserFactory(username="rcfriend1")
    thread = services.conversation_open_with_member(member=member, username="rcfriend1")
    assert services.conversation_open_with_member(member=friend, username=member.username) == thread
    services.message_send(sender=friend, conversation_id=thread.pk, body="你好")
    services.member_block(member=member, username="rcfriend1")
    with pytest.raises(MemberBlocked):
        services.message_send(sender=friend, conversation_id=thread.pk, body="在吗")
    with pytest.raises(MemberBlocked):
        services.conversation_open_with_member(member=friend, username=member.username)
    assert [c.pk for c in member_conversations(member=member)] == [thread.pk]
    assert member_conversations(member=member).get().unread == 1
    services.member_unblock(member=member, username="rcfriend1")
    services.message_send(sender=friend, conversation_id=thread.pk, body="在吗")
    assert thread.messages.count() == 2


def test_an_offline_member_gets_one_letter_per_conversation(member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="您好")
    services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="还在吗")
    letter = Letter.objects.get()
    assert (letter.kind, letter.recipient_id, letter.sender_store_id, letter.body) == (
        "chat",
        member.pk,
        team.store.pk,
        "您好",
    )
    assert letter.subject == "东胜旗舰店 给您发来了消息"


def test_an_online_member_gets_no_letter(member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    presence_mark(member.pk)
    services.message_send(sender=team.clerk, conversation_id=conversation.pk, body="您好")
    assert Letter.objects.count() == 0


def test_an_order_chat_goes_to_the_orders_store_and_only_for_the_buyer(member, regions):
    store = StoreFactory(city=regions["150600"])
    with pytest.raises(ConversationNotFound):
        services.conversation_open(member=member, order_number="RC00000000000000")
    assert Conversation.objects.filter(store=store).count() == 0


def test_a_customer_message_reopens_a_closed_conversation(member, team):
    conversation = services.conversation_open(member=member, store_id=team.store.pk)
    services.conversation_take(agent=team.clerk, conversation_id=conversation.pk)
    services.conversation_close(user=team.clerk, conversation_id=conversation.pk)
    services.message_send(sender=member, conversation_id=conversation.pk, body="还有个问题")
    conversation.refresh_from_db()
    assert (conversation.status, conversation.agent_id) == (Status.WAITING, None)


def test_canned_replies_belong_to_their_team(team, regions):
    reply = services.canned_reply_save(
        agent=team.clerk, store_id=team.store.pk, title="问候", body="您好，欢迎光临！"
    )
    other = make_store_team(regions["150600"])
    with pytest.raises(NotAnAgent):
        services.canned_reply_delete(agent=other.clerk, store_id=team.store.pk, reply_id=reply.pk)
    with pytest.raises(RecipientNotFound):
        services.canned_reply_save(
            agent=other.clerk, store_id=other.store.pk, title="x", body="y", reply_id=reply.pk
        )
    reply.refresh_from_db()
    assert (reply.title, reply.body) == ("问候", "您好，欢迎光临！")


def test_platform_agents_include_those_of_an_inheriting_role_group(member):
    service = Group.objects.create(name="客服")
    service.permissions.add(Permission.objects.get(codename="answer_platform_chat"))
    senior = Group.objects.create(name="客服主管")
    GroupParent.objects.create(group=senior, parent=service)
    lead = UserFactory(real_name="钱主管")
    lead.groups.add(senior)
    services.seat_set(agent=lead, store_id=None, accepting=True)
    conversation = services.conversation_open(member=member)
    assert conversation.agent_id == lead.pk
