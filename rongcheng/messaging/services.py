"""Live chat writes (IM-1, ROLE-7). Every message is stored, in the same transaction as the
conversation's state, before anything is pushed: pushes and offline letters go out after the
commit, so a reload or reconnect finds everything that was delivered."""

import io
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from rongcheng.accounts.models import User
from rongcheng.catalog.models import Product
from rongcheng.core.uploads import validate_image_upload
from rongcheng.messaging.access import CUSTOMER, Seat, access_conversation
from rongcheng.messaging.errors import (
    ChatRateLimited,
    ConversationNotClosable,
    ConversationNotFound,
    ConversationTaken,
    MemberBlocked,
    MessageInvalid,
    NotAnAgent,
    RecipientNotFound,
)
from rongcheng.messaging.letters import letter_for_unread_chat
from rongcheng.messaging.models import (
    AgentSeat,
    CannedReply,
    ChatMessage,
    Conversation,
    MemberBlock,
)
from rongcheng.messaging.presence import is_online
from rongcheng.messaging.push import push_to_conversation, push_to_team
from rongcheng.messaging.selectors import conversation_summary, message_payload
from rongcheng.messaging.teams import of_team, require_agent, team_agents
from rongcheng.orders.models import Order
from rongcheng.stores.models import Store

Status = Conversation.Status


def _rule(name: str) -> Any:
    return settings.RONGCHENG[name]


# --- Opening ---------------------------------------------------------------------------------


def conversation_open(
    *,
    member: User,
    store_id: int | None = None,
    product_id: int | None = None,
    order_number: str = "",
) -> Conversation:
    """The member's live conversation with a store's team (or the platform's when `store_id`
    is None), started if there is none; the product or order it was opened from is shown to
    the agent. An order must be the member's own and names its store."""
    order = None
    if order_number:
        order = Order.objects.filter(number=order_number, buyer=member).first()
        if order is None:
            raise ConversationNotFound(_("没有这个订单。"))
        store_id = order.store_id
    if store_id is not None and not Store.objects.filter(pk=store_id, is_active=True).exists():
        raise RecipientNotFound(_("没有这个门店。"))
    product = Product.objects.filter(pk=product_id).first() if product_id else None
    kind = Conversation.Kind.STORE if store_id is not None else Conversation.Kind.PLATFORM
    live = Conversation.objects.filter(of_team(store_id), customer=member, kind=kind).exclude(
        status=Status.CLOSED
    )
    with transaction.atomic():
        conversation = live.select_for_update().first()
        if conversation is None:
            try:
                with transaction.atomic():
                    conversation = Conversation.objects.create(
                        kind=kind, customer=member, store_id=store_id, product=product, order=order
                    )
            except IntegrityError:  # opened at the same moment in another tab
                conversation = live.select_for_update().get()
            else:
                _assign_next_free(conversation)
                push_to_team(store_id, {"type": "waiting"})
                return conversation
        if product or order:
            conversation.product = product or conversation.product
            conversation.order = order or conversation.order
            conversation.save(update_fields=["product", "order", "updated_at"])
    return conversation


def conversation_open_with_member(*, member: User, username: str) -> Conversation:
    """The thread between two members (ROLE-7); refused when either has blocked the other."""
    peer = User.objects.filter(username=username, is_active=True).exclude(pk=member.pk).first()
    if peer is None:
        raise RecipientNotFound(_("没有这个会员。"))
    _refuse_blocked(member.pk, peer.pk)
    pair = Q(customer=member, peer=peer) | Q(customer=peer, peer=member)
    existing = Conversation.objects.filter(pair, kind=Conversation.Kind.MEMBER).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                kind=Conversation.Kind.MEMBER, customer=member, peer=peer, status=Status.OPEN
            )
    except IntegrityError:
        return Conversation.objects.get(pair, kind=Conversation.Kind.MEMBER)


def _refuse_blocked(sender_id: int, recipient_id: int) -> None:
    either = Q(blocker_id=sender_id, blocked_id=recipient_id) | Q(
        blocker_id=recipient_id, blocked_id=sender_id
    )
    if MemberBlock.objects.filter(either).exists():
        raise MemberBlocked(_("你们之间已屏蔽，无法发送消息。"))


# --- Messages --------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = body.strip()
    limit = _rule("CHAT_MESSAGE_MAX_CHARS")
    if len(body) > limit:
        raise MessageInvalid(_("消息不能超过 %(limit)s 个字。") % {"limit": limit})
    return body


def _prepared_image(upload: UploadedFile) -> ContentFile:
    """A checked picture re-encoded at most CHAT_IMAGE_MAX_SIDE pixels wide or high; the new
    file carries no metadata (a phone photo's location stays with the phone)."""
    try:
        validate_image_upload(upload)
    except ValidationError as invalid:
        raise MessageInvalid(invalid.messages[0]) from invalid
    side = _rule("CHAT_IMAGE_MAX_SIDE")
    with Image.open(upload) as opened:
        picture = ImageOps.exif_transpose(opened)
        picture.thumbnail((side, side))
        keeps_alpha = picture.mode in ("RGBA", "LA", "P")
        output = io.BytesIO()
        if keeps_alpha:
            picture.convert("RGBA").save(output, "PNG", optimize=True)
        else:
            picture.convert("RGB").save(output, "JPEG", quality=85)
    return ContentFile(output.getvalue(), name="chat.png" if keeps_alpha else "chat.jpg")


def _check_rate(sender: User, now: datetime) -> None:
    count, window = _rule("CHAT_RATE_LIMIT")
    sent = ChatMessage.objects.filter(sender=sender, created_at__gte=now - window).count()
    if sent >= count:
        raise ChatRateLimited(_("发送太频繁了，请稍后再发。"))


def message_send(
    *, sender: User, conversation_id: int, body: str = "", image: UploadedFile | None = None
) -> ChatMessage:
    """Store a text or picture message, then deliver it: pushed to the open chats after the
    commit, and to the message center of a member who has no chat open."""
    body = _clean_body(body)
    if not body and image is None:
        raise MessageInvalid(_("请输入消息内容。"))
    picture = _prepared_image(image) if image is not None else None
    now = timezone.now()
    with transaction.atomic():
        seat = access_conversation(user=sender, conversation_id=conversation_id, for_update=True)
        conversation = seat.conversation
        if conversation.kind == Conversation.Kind.MEMBER:
            _refuse_blocked(conversation.customer_id, conversation.peer_id or 0)
        _check_rate(sender, now)
        if seat.is_agent and conversation.agent_id is None:
            _assign(conversation, sender, event=False)
        elif seat.side == CUSTOMER and conversation.status == Status.CLOSED:
            conversation.status = Status.WAITING
            conversation.agent = None
            _assign_next_free(conversation)
            push_to_team(conversation.store_id, {"type": "waiting"})
        message = ChatMessage.objects.create(
            conversation=conversation,
            sender=sender,
            kind=ChatMessage.Kind.IMAGE if picture else ChatMessage.Kind.TEXT,
            body=body,
            image=picture,
        )
        conversation.last_message_at = message.created_at
        read_field = "customer_read_id" if seat.side == CUSTOMER else "other_read_id"
        setattr(conversation, read_field, message.pk)
        conversation.save()
        push_to_conversation(conversation.pk, message_payload(message, conversation))
        push_to_team(conversation.store_id, conversation_summary(conversation))
        _letter_if_offline(seat, message)
    return message


def _letter_if_offline(seat: Seat, message: ChatMessage) -> None:
    conversation = seat.conversation
    # A team's agents work in the workspace; members may be anywhere.
    recipient = conversation.peer if seat.side == CUSTOMER else conversation.customer
    if recipient is not None and not is_online(recipient.pk):
        letter_for_unread_chat(conversation=conversation, recipient=recipient, message=message)


def conversation_read(*, user: User, conversation_id: int, up_to: int) -> int:
    """The user's side has read every message up to `up_to`; returns the side's read position
    (it never moves back). The other side sees the receipt."""
    with transaction.atomic():
        seat = access_conversation(user=user, conversation_id=conversation_id)
        field = "customer_read_id" if seat.side == CUSTOMER else "other_read_id"
        last = seat.conversation.messages.filter(pk__lte=up_to).order_by("-pk").first()
        if last is None:
            return getattr(seat.conversation, field)
        Conversation.objects.filter(pk=conversation_id).update(
            **{field: Greatest(F(field), last.pk)}
        )
        position = Conversation.objects.values_list(field, flat=True).get(pk=conversation_id)
        push_to_conversation(
            conversation_id, {"type": "read", "side": seat.side, "up_to": position}
        )
    return position


# --- The team's side -------------------------------------------------------------------------


def _event(conversation: Conversation, text: str) -> ChatMessage:
    message = ChatMessage.objects.create(
        conversation=conversation, kind=ChatMessage.Kind.EVENT, body=text
    )
    conversation.last_message_at = message.created_at
    push_to_conversation(conversation.pk, message_payload(message, conversation))
    return message


def _assign(conversation: Conversation, agent: User, *, event: bool = True) -> None:
    conversation.agent = agent
    conversation.status = Status.OPEN
    AgentSeat.objects.filter(of_team(conversation.store_id), user=agent).update(
        last_assigned_at=timezone.now()
    )
    if event:
        _event(conversation, _("客服 %(name)s 为您服务。") % {"name": agent.display_name})
    conversation.save()
    push_to_team(conversation.store_id, conversation_summary(conversation))


def _assign_next_free(conversation: Conversation) -> None:
    """Give a waiting conversation to the team's free agent (accepting, under
    CHAT_AGENT_MAX_OPEN open conversations) with the fewest open ones, the longest-idle first;
    without one it stays on the waiting list."""
    open_count = (
        Conversation.objects.filter(
            of_team(conversation.store_id), agent=OuterRef("user"), status=Status.OPEN
        )
        .values("agent")
        .annotate(n=Count("id"))
        .values("n")
    )
    seat = (
        AgentSeat.objects.filter(
            of_team(conversation.store_id),
            accepting=True,
            user__in=team_agents(store_id=conversation.store_id),
        )
        .annotate(open=Coalesce(Subquery(open_count), 0))
        .filter(open__lt=_rule("CHAT_AGENT_MAX_OPEN"))
        .select_related("user")
        .order_by("open", F("last_assigned_at").asc(nulls_first=True), "id")
        .first()
    )
    if seat is not None:
        _assign(conversation, seat.user)


def conversation_take(*, agent: User, conversation_id: int) -> Conversation:
    """An agent takes a waiting conversation of their team (接入)."""
    with transaction.atomic():
        seat = access_conversation(user=agent, conversation_id=conversation_id, for_update=True)
        if not seat.is_agent:
            raise NotAnAgent(_("您不是此会话的客服。"))
        conversation = seat.conversation
        if conversation.status != Status.WAITING:
            raise ConversationTaken(_("该会话已由其他客服接待或已结束。"))
        _assign(conversation, agent)
    return conversation


def conversation_transfer(*, agent: User, conversation_id: int, to_user_id: int) -> Conversation:
    """Hand an open conversation to a named colleague of the same team (转接)."""
    with transaction.atomic():
        seat = access_conversation(user=agent, conversation_id=conversation_id, for_update=True)
        conversation = seat.conversation
        if not seat.is_agent or conversation.status == Status.CLOSED:
            raise NotAnAgent(_("您不能转接此会话。"))
        colleague = (
            team_agents(store_id=conversation.store_id)
            .filter(pk=to_user_id)
            .exclude(pk=agent.pk)
            .first()
        )
        if colleague is None:
            raise RecipientNotFound(_("只能转接给本团队的其他客服。"))
        conversation.agent = colleague
        conversation.status = Status.OPEN
        _event(conversation, _("已转接给客服 %(name)s。") % {"name": colleague.display_name})
        conversation.save()
        push_to_team(conversation.store_id, conversation_summary(conversation))
    return conversation


def conversation_close(*, user: User, conversation_id: int) -> Conversation:
    """The member or an agent ends the conversation; the member's next message reopens it."""
    with transaction.atomic():
        seat = access_conversation(user=user, conversation_id=conversation_id, for_update=True)
        conversation = seat.conversation
        if conversation.kind == Conversation.Kind.MEMBER:
            raise ConversationNotClosable(_("会员私信无需结束。"))
        if conversation.status != Status.CLOSED:
            conversation.status = Status.CLOSED
            _event(conversation, _("会话已结束。"))
            conversation.save()
            push_to_team(conversation.store_id, conversation_summary(conversation))
    return conversation


def seat_set(*, agent: User, store_id: int | None, accepting: bool) -> AgentSeat:
    """An agent starts or stops taking new conversations; starting takes the oldest waiting
    ones up to CHAT_AGENT_MAX_OPEN."""
    require_agent(user=agent, store_id=store_id)
    with transaction.atomic():
        seat, _created = AgentSeat.objects.select_for_update().get_or_create(
            user=agent, store_id=store_id
        )
        seat.accepting = accepting
        seat.save()
        if accepting:
            waiting = Conversation.objects.filter(of_team(store_id), status=Status.WAITING).exclude(
                kind=Conversation.Kind.MEMBER
            )
            for conversation in waiting.select_for_update().order_by("created_at", "id"):
                _assign_next_free(conversation)
                if conversation.agent_id is None:
                    break
    return seat


# --- Canned replies and blocking -------------------------------------------------------------


def canned_reply_save(
    *, agent: User, store_id: int | None, title: str, body: str, reply_id: int | None = None
) -> CannedReply:
    require_agent(user=agent, store_id=store_id)
    title, body = title.strip(), body.strip()
    if not title or not body or len(title) > 30 or len(body) > 500:
        raise MessageInvalid(_("快捷回复需要标题（30 字内）和内容（500 字内）。"))
    with transaction.atomic():
        if reply_id is None:
            return CannedReply.objects.create(store_id=store_id, title=title, body=body)
        reply = CannedReply.objects.filter(of_team(store_id), pk=reply_id).first()
        if reply is None:
            raise RecipientNotFound(_("没有这条快捷回复。"))
        reply.title, reply.body = title, body
        reply.save()
    return reply


def canned_reply_delete(*, agent: User, store_id: int | None, reply_id: int) -> None:
    require_agent(user=agent, store_id=store_id)
    CannedReply.objects.filter(of_team(store_id), pk=reply_id).delete()


def member_block(*, member: User, username: str) -> MemberBlock:
    blocked = User.objects.filter(username=username).exclude(pk=member.pk).first()
    if blocked is None:
        raise RecipientNotFound(_("没有这个会员。"))
    block, _created = MemberBlock.objects.get_or_create(blocker=member, blocked=blocked)
    return block


def member_unblock(*, member: User, username: str) -> None:
    MemberBlock.objects.filter(blocker=member, blocked__username=username).delete()
