"""WebSocket consumers, served under /ws/ (config/routing.py)."""

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from rongcheng.notifications.push import user_group

# Close code for "log in first" (4000-4999 are for applications).
UNAUTHENTICATED = 4401


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Relays `notify_user` events to every open connection of the logged-in user."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notification(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
