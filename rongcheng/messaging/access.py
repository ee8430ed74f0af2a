"""Only participants may read or write a conversation: its member(s), and the agents of its
team. Everyone else is told it does not exist (over HTTP and WebSocket alike)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.messaging.errors import ConversationNotFound
from rongcheng.messaging.models import Conversation
from rongcheng.messaging.teams import is_agent

CUSTOMER = "customer"
OTHER = "other"


@dataclass(frozen=True)
class Seat:
    """A user's place in a conversation: the member who started it (`customer`) or the other
    side (`other`: the team's agent, or the peer member)."""

    conversation: Conversation
    side: str
    is_agent: bool


def side_of(*, user: User, conversation: Conversation) -> Seat | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if conversation.customer_id == user.pk:
        return Seat(conversation, CUSTOMER, is_agent=False)
    if conversation.kind == Conversation.Kind.MEMBER:
        if conversation.peer_id == user.pk:
            return Seat(conversation, OTHER, is_agent=False)
        return None
    if is_agent(user=user, store_id=conversation.store_id):
        return Seat(conversation, OTHER, is_agent=True)
    return None


def access_conversation(*, user: User, conversation_id: int, for_update: bool = False) -> Seat:
    conversations = Conversation.objects.select_related("customer", "peer", "store", "agent")
    if for_update:
        conversations = conversations.select_for_update(of=("self",))
    conversation = conversations.filter(pk=conversation_id).first()
    seat = side_of(user=user, conversation=conversation) if conversation else None
    if seat is None:
        raise ConversationNotFound(_("没有这个会话。"))
    return seat
