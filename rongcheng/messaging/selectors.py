"""Live chat reads: a conversation's messages (all, or those after the last one a page has,
for a reconnect), the member's conversations, a team's workspace lists."""

from typing import Any

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from rongcheng.accounts.models import User
from rongcheng.core.dates import local_time
from rongcheng.messaging.models import (
    AgentSeat,
    CannedReply,
    ChatMessage,
    Conversation,
    MemberBlock,
)
from rongcheng.messaging.teams import of_team
from rongcheng.orders.models import Order

HISTORY = 200  # messages a chat window loads at once, the newest
RECENT_ORDERS = 5


def _sender_side(message: ChatMessage, conversation: Conversation) -> str:
    if message.sender_id is None:
        return "event"
    return "customer" if message.sender_id == conversation.customer_id else "other"


def message_payload(message: ChatMessage, conversation: Conversation) -> dict[str, Any]:
    """What a chat window shows of one message (JSON over HTTP and WebSocket alike)."""
    sender = message.sender
    return {
        "type": "message",
        "id": message.pk,
        "conversation": conversation.pk,
        "kind": message.kind,
        "body": message.body,
        "image": message.image.url if message.image else "",
        "side": _sender_side(message, conversation),
        "sender": sender.display_name if sender is not None else "",
        "created_at": message.created_at.isoformat(),
        # Wall-clock time in the site's zone, as every page shows it.
        "time": local_time(message.created_at).strftime("%m-%d %H:%M"),
    }


def conversation_summary(conversation: Conversation) -> dict[str, Any]:
    """The workspace's list entry changed: it refreshes its lists."""
    return {
        "type": "conversation",
        "id": conversation.pk,
        "status": conversation.status,
        "agent": conversation.agent_id,
    }


def conversation_messages(
    *, conversation: Conversation, after: int = 0, limit: int = HISTORY
) -> list[dict[str, Any]]:
    """Messages after id `after` (0: the latest `limit`), oldest first."""
    messages = conversation.messages.select_related("sender")
    if after:
        rows = list(messages.filter(pk__gt=after).order_by("pk")[:limit])
    else:
        rows = list(messages.order_by("-pk")[:limit])[::-1]
    return [message_payload(message, conversation) for message in rows]


def _unread_after(read_field: str) -> Subquery:
    return Subquery(
        ChatMessage.objects.filter(conversation=OuterRef("pk"), pk__gt=OuterRef(read_field))
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )


def member_conversations(*, member: User) -> QuerySet[Conversation]:
    """The member's chats with stores, the platform and other members, latest first; each
    with `unread` from the member's side."""
    return (
        Conversation.objects.filter(Q(customer=member) | Q(peer=member))
        .annotate(
            unread=Coalesce(
                Case(
                    When(customer=member, then=_unread_after("customer_read_id")),
                    default=_unread_after("other_read_id"),
                ),
                0,
            )
        )
        .select_related("store", "customer", "peer", "agent")
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def team_conversations(*, store_id: int | None, agent: User, tab: str) -> QuerySet[Conversation]:
    """A team's workspace lists: `waiting`, `mine` (open, this agent's), `open` (the team's),
    `closed` (history), each with what the team has not read."""
    team = Conversation.objects.filter(of_team(store_id)).exclude(kind=Conversation.Kind.MEMBER)
    by_tab = {
        "waiting": team.filter(status=Conversation.Status.WAITING),
        "mine": team.filter(status=Conversation.Status.OPEN, agent=agent),
        "open": team.filter(status=Conversation.Status.OPEN),
        "closed": team.filter(status=Conversation.Status.CLOSED),
    }
    chosen = by_tab.get(tab, by_tab["waiting"])
    order = "created_at" if tab == "waiting" else "-last_message_at"
    return (
        chosen.annotate(unread=Coalesce(_unread_after("other_read_id"), 0))
        .select_related("customer", "agent", "product", "order")
        .order_by(order, "-id")
    )


def team_counts(*, store_id: int | None, agent: User) -> dict[str, int]:
    team = Conversation.objects.filter(of_team(store_id)).exclude(kind=Conversation.Kind.MEMBER)
    return team.aggregate(
        waiting=Count("id", filter=Q(status=Conversation.Status.WAITING)),
        mine=Count("id", filter=Q(status=Conversation.Status.OPEN, agent=agent)),
    )


def customer_recent_orders(*, conversation: Conversation) -> list[Order]:
    """The member's latest orders beside the chat: a store sees only its own orders."""
    orders = Order.objects.filter(buyer_id=conversation.customer_id)
    if conversation.store_id is not None:
        orders = orders.filter(store_id=conversation.store_id)
    return list(orders.order_by("-created_at", "-id")[:RECENT_ORDERS])


def agent_accepting(*, agent: User, store_id: int | None) -> bool:
    """Whether the agent takes new conversations of the team now."""
    return AgentSeat.objects.filter(of_team(store_id), user=agent, accepting=True).exists()


def canned_replies(*, store_id: int | None) -> list[CannedReply]:
    return list(CannedReply.objects.filter(of_team(store_id)))


def blocked_members(*, member: User) -> list[User]:
    blocks = MemberBlock.objects.filter(blocker=member).select_related("blocked")
    return [block.blocked for block in blocks]
