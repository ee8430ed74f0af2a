"""Push events to a member's open browser tabs over WebSocket (the /ws/notifications/ route)."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def user_group(user_id: int) -> str:
    """The channel-layer group every WebSocket connection of one user joins."""
    return f"user.{user_id}"


def notify_user(*, user_id: int, payload: dict[str, Any]) -> None:
    """Send `payload` (JSON-serialisable) to the user's connections once the transaction commits,
    so nobody hears of a change that was rolled back."""

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            user_group(user_id), {"type": "notification", "payload": payload}
        )

    transaction.on_commit(send)
