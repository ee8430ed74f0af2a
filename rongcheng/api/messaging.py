"""The member's side of live chat and the message center (IM-1, ROLE-7, MSG-1) for the app
and the mini-program. Chats open with a store (or the store of one of the member's orders),
the platform or another member; only participants read or write a conversation (another
member's id answers 404). Live delivery is the WebSocket /ws/chat/<id>/?after=<last id>;
these operations store and read the same messages."""

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.paginator import Paginator
from ninja import Field, Path, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import NO_NUL, NOT_BLANK, BodyIn, Id, Integer, JsonInteger, errors
from rongcheng.messaging import letters, services
from rongcheng.messaging.access import access_conversation
from rongcheng.messaging.models import Conversation, Letter
from rongcheng.messaging.selectors import (
    conversation_messages,
    member_conversations,
    message_payload,
)

router = Router(tags=["messages"], auth=member_auth)

ORDER_NUMBER = r"^[0-9]{20}$"
# Ids are 64-bit: larger numbers cannot name anything.
ID_MAX = 2**63 - 1
ConversationId = Path(..., ge=1, le=ID_MAX)
LetterId = Path(..., ge=1, le=ID_MAX)
MESSAGE_MAX = settings.RONGCHENG["CHAT_MESSAGE_MAX_CHARS"]
LETTER_MAX = settings.RONGCHENG["LETTER_MAX_CHARS"]


class ConversationOut(Schema):
    id: int
    kind: str = Field(description="store 门店客服, platform 平台客服, member 会员私信")
    status: str = Field(description="waiting, open, closed")
    title: str = Field(description="门店名、平台客服或对方会员")
    unread: int = Field(description="对方发来、我方未读的消息数")
    last_message_at: datetime | None
    socket: str = Field(description="WebSocket 地址，重连时加 ?after=<最后的消息 id>")


class MessageOut(Schema):
    id: int
    kind: str = Field(description="text, image, event")
    body: str
    image: str
    side: str = Field(description="customer 发起会话的会员, other 客服或对方会员, event 系统提示")
    sender: str
    created_at: datetime


class OpenIn(BodyIn):
    """One of: `store_id` (with `product_id` it was asked from), `order_number`, `username`;
    none opens the platform's customer service."""

    store_id: Integer | None = None
    product_id: Integer | None = None
    order_number: str | None = Field(None, pattern=ORDER_NUMBER)
    username: str | None = Field(None, max_length=32, pattern=NOT_BLANK)


class MessageIn(BodyIn):
    body: str = Field(max_length=MESSAGE_MAX, pattern=NOT_BLANK)


class ReadIn(BodyIn):
    up_to: Annotated[int, Field(ge=0, le=ID_MAX), JsonInteger] = Field(
        description="已读到的消息 id"
    )


class ReadOut(Schema):
    up_to: int


class AfterQuery(Schema):
    after: int = Field(0, ge=0, le=ID_MAX, description="只要此 id 之后的消息（重连补发）")


def _conversation(conversation: Conversation, member) -> dict:
    if conversation.kind == Conversation.Kind.STORE:
        title = conversation.store.name if conversation.store else ""
    elif conversation.kind == Conversation.Kind.PLATFORM:
        title = str(Conversation.Kind.PLATFORM.label)
    else:
        other = (
            conversation.peer if conversation.customer_id == member.pk else conversation.customer
        )
        title = other.display_name if other else ""
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "status": conversation.status,
        "title": title,
        "unread": getattr(conversation, "unread", 0),
        "last_message_at": conversation.last_message_at,
        "socket": f"/ws/chat/{conversation.pk}/",
    }


@router.get("/chats", response=list[ConversationOut], summary="我的咨询与私信（最新在前）")
def chat_list(request):
    rows = member_conversations(member=request.user)[:100]
    return [_conversation(c, request.user) for c in rows]


@router.post(
    "/chats",
    response={200: ConversationOut, **errors(403, 404)},
    summary="打开与门店、平台客服或会员的会话（已有进行中的会话则返回它）",
)
def chat_open(request, payload: OpenIn):
    """404 `recipient_not_found`: no such open store or member; `conversation_not_found`:
    not one of your orders. 403 `member_blocked`: one of you blocked the other."""
    if payload.username:
        conversation = services.conversation_open_with_member(
            member=request.user, username=payload.username
        )
    else:
        conversation = services.conversation_open(
            member=request.user,
            store_id=payload.store_id,
            product_id=payload.product_id,
            order_number=payload.order_number or "",
        )
    return _conversation(conversation, request.user)


@router.get(
    "/chats/{conversation_id}/messages",
    response={200: list[MessageOut], **errors(404)},
    summary="会话的消息（最近 200 条，或某 id 之后的）",
)
def chat_messages(request, query: Query[AfterQuery], conversation_id: Id = ConversationId):
    seat = access_conversation(user=request.user, conversation_id=conversation_id)
    return conversation_messages(conversation=seat.conversation, after=query.after)


@router.post(
    "/chats/{conversation_id}/messages",
    response={201: MessageOut, **errors(403, 404, 429)},
    summary="发送消息（先保存，再推送给会话的各方）",
)
def chat_send(request, payload: MessageIn, conversation_id: Id = ConversationId):
    """403 `member_blocked`; 404 `conversation_not_found` (also another member's);
    429 `chat_rate_limited`."""
    message = services.message_send(
        sender=request.user, conversation_id=conversation_id, body=payload.body
    )
    return Status(201, message_payload(message, message.conversation))


@router.post(
    "/chats/{conversation_id}/read",
    response={200: ReadOut, **errors(404)},
    summary="已读回执：读到某条消息为止",
)
def chat_read(request, payload: ReadIn, conversation_id: Id = ConversationId):
    position = services.conversation_read(
        user=request.user, conversation_id=conversation_id, up_to=payload.up_to
    )
    return {"up_to": position}


@router.post(
    "/chats/{conversation_id}/close",
    response={200: ConversationOut, **errors(404, 409)},
    summary="结束与门店或平台客服的会话",
)
def chat_close(request, conversation_id: Id = ConversationId):
    """409 `conversation_not_closable`: conversations between members are not ended."""
    conversation = services.conversation_close(user=request.user, conversation_id=conversation_id)
    return _conversation(conversation, request.user)


class BlockIn(BodyIn):
    username: str = Field(max_length=32, pattern=NOT_BLANK)


class BlockedOut(Schema):
    username: str
    name: str


@router.post(
    "/blocks", response={204: None, **errors(404)}, summary="屏蔽会员：不再收他的私信和站内信"
)
def block(request, payload: BlockIn):
    services.member_block(member=request.user, username=payload.username)
    return Status(204, None)


@router.delete("/blocks/{username}", response={204: None}, summary="取消屏蔽")
def unblock(request, username: str):
    services.member_unblock(member=request.user, username=username)
    return Status(204, None)


# --- The message center ----------------------------------------------------------------------


class LetterOut(Schema):
    id: int
    kind: str = Field(description="message, chat, complaint, suggestion, answer")
    subject: str
    body: str
    sender: str = Field(description="会员名、门店名、平台客服或系统")
    recipient: str
    conversation_id: int | None
    reply_to: int | None
    created_at: datetime
    read: bool


class LetterPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[LetterOut]


class NoticeOut(Schema):
    kind: str
    title: str
    body: str
    reference: str
    created_at: datetime
    read: bool


class UnreadOut(Schema):
    unread: int = Field(description="未读站内信与系统通知")


class LetterQuery(Schema):
    box: Literal["inbox", "sent"] = "inbox"
    page: int = Field(1, ge=1)


class LetterIn(BodyIn):
    kind: Literal["message", "complaint", "suggestion"] = Field(
        description="message 给会员写信（须填 to），complaint / suggestion 发给平台"
    )
    to: str = Field("", max_length=32, pattern=NO_NUL, description="收件会员的用户名")
    subject: str = Field(max_length=60, pattern=NOT_BLANK)
    body: str = Field(max_length=LETTER_MAX, pattern=NOT_BLANK)


class ReplyIn(BodyIn):
    body: str = Field(max_length=LETTER_MAX, pattern=NOT_BLANK)


def _party(letter: Letter, party: str, member, store) -> str:
    if party == Letter.Party.MEMBER:
        return member.display_name if member else ""
    if party == Letter.Party.STORE:
        return store.name if store else ""
    return str(Letter.Party(party).label)


def _letter(letter: Letter, viewer) -> dict:
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "subject": letter.subject,
        "body": letter.body,
        "sender": _party(letter, letter.sender_party, letter.sender, letter.sender_store),
        "recipient": _party(
            letter, letter.recipient_party, letter.recipient, letter.recipient_store
        ),
        "conversation_id": letter.conversation_id,
        "reply_to": letter.reply_to_id,
        "created_at": letter.created_at,
        "read": letter.read_at is not None,
    }


@router.get("/letters", response=LetterPageOut, summary="收件箱或已发送（每页 20 封）")
def letter_list(request, query: Query[LetterQuery]):
    box = letters.member_sent if query.box == "sent" else letters.member_inbox
    rows = box(member=request.user).select_related(
        "sender", "recipient", "sender_store", "recipient_store"
    )
    found = Paginator(rows, 20)
    page = found.get_page(query.page)
    return {
        "count": found.count,
        "page": page.number,
        "pages": found.num_pages,
        "items": [_letter(letter, request.user) for letter in page.object_list],
    }


@router.get(
    "/letters/{letter_id}", response={200: LetterOut, **errors(404)}, summary="读一封站内信"
)
def letter_read(request, letter_id: Id = LetterId):
    return _letter(letters.letter_mark_read(user=request.user, letter_id=letter_id), request.user)


@router.post(
    "/letters",
    response={201: LetterOut, **errors(403, 404, 429)},
    summary="写信给会员，或向平台投诉、提建议",
)
def letter_write(request, payload: LetterIn):
    """404 `recipient_not_found`; 403 `member_blocked`; 429 `letter_rate_limited`."""
    if payload.kind == "message":
        letter = letters.letter_send(
            sender=request.user, to_username=payload.to, subject=payload.subject, body=payload.body
        )
    else:
        letter = letters.letter_to_platform(
            sender=request.user, kind=payload.kind, subject=payload.subject, body=payload.body
        )
    return Status(201, _letter(letter, request.user))


@router.post(
    "/letters/{letter_id}/reply",
    response={201: LetterOut, **errors(404, 409, 429)},
    summary="回复收到的站内信",
)
def letter_reply(request, payload: ReplyIn, letter_id: Id = LetterId):
    """409 `letter_not_answerable`: system messages need no reply."""
    reply = letters.letter_reply(user=request.user, letter_id=letter_id, body=payload.body)
    return Status(201, _letter(reply, request.user))


@router.get("/notices", response=list[NoticeOut], summary="系统通知（最新 50 条）")
def notice_list(request):
    return [
        {
            "kind": notice.kind,
            "title": notice.title,
            "body": notice.body,
            "reference": notice.reference,
            "created_at": notice.created_at,
            "read": notice.read_at is not None,
        }
        for notice in letters.member_notices(member=request.user)[:50]
    ]


@router.get("/unread", response=UnreadOut, summary="未读消息数（页头角标）")
def unread(request):
    return {"unread": letters.unread_count(member=request.user)}
