"""Chat events to the open WebSocket connections (/ws/chat/…), always after the commit."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def team_group(store_id: int | None) -> str:
    """The workspaces of a team: a store's, or the platform's."""
    return f"chat.team.{store_id if store_id is not None else 'platform'}"


def _send_after_commit(group: str, payload: dict[str, Any]) -> None:
    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            group, {"type": "chat.event", "payload": payload}
        )

    transaction.on_commit(send, robust=True)


def push_to_conversation(conversation_id: int, payload: dict[str, Any]) -> None:
    _send_after_commit(conversation_group(conversation_id), payload)


def push_to_team(store_id: int | None, payload: dict[str, Any]) -> None:
    _send_after_commit(team_group(store_id), payload)
