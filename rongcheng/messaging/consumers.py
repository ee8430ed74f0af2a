"""Live chat over WebSocket (/ws/chat/…, config/routing.py).

`ChatConsumer` serves one conversation to its participants: it sends what was stored after
the id the page already has (`?after=`), relays the conversation's events, and takes
messages, read receipts and heartbeats, each through the same services as the HTTP side.
`TeamConsumer` tells a team's workspaces that their lists changed.
"""

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from rongcheng.core.errors import ApplicationError
from rongcheng.messaging import services
from rongcheng.messaging.access import side_of
from rongcheng.messaging.models import Conversation
from rongcheng.messaging.presence import presence_clear, presence_mark
from rongcheng.messaging.push import conversation_group, team_group
from rongcheng.messaging.selectors import conversation_messages
from rongcheng.messaging.teams import is_agent
from rongcheng.notifications.consumers import UNAUTHENTICATED

# Close code for "no such conversation" (also what a non-participant gets).
NOT_FOUND = 4404


def _query_int(scope: dict[str, Any], name: str) -> int:
    values = parse_qs(scope.get("query_string", b"").decode()).get(name, ["0"])
    return int(values[0]) if values[0].isdigit() else 0


class ChatConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None
    is_agent = False

    @database_sync_to_async
    def _seat(self, conversation_id: int):  # type: ignore[no-untyped-def]
        conversation = Conversation.objects.filter(pk=conversation_id).first()
        if conversation is None:
            return None
        seat = side_of(user=self.scope["user"], conversation=conversation)
        if seat is None:
            return None
        after = _query_int(self.scope, "after")
        return seat, conversation_messages(conversation=conversation, after=after) if after else []

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        found = await self._seat(conversation_id)
        if found is None:
            await self.close(code=NOT_FOUND)
            return
        seat, missed = found
        self.conversation_id = conversation_id
        self.is_agent = seat.is_agent
        self.group = conversation_group(conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._present()
        for payload in missed:
            await self.send_json(payload)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            if not self.is_agent:
                await database_sync_to_async(presence_clear)(self.scope["user"].pk)

    async def _present(self) -> None:
        if not self.is_agent:
            await database_sync_to_async(presence_mark)(self.scope["user"].pk)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        await self._present()
        user = self.scope["user"]
        try:
            if content.get("type") == "message":
                await database_sync_to_async(services.message_send)(
                    sender=user,
                    conversation_id=self.conversation_id,
                    body=str(content.get("body", "")),
                )
            elif content.get("type") == "read" and isinstance(content.get("up_to"), int):
                await database_sync_to_async(services.conversation_read)(
                    user=user, conversation_id=self.conversation_id, up_to=content["up_to"]
                )
        except ApplicationError as refusal:
            await self.send_json({"type": "error", **refusal.as_dict()})

    async def chat_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])


class TeamConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        store_id = self.scope["url_route"]["kwargs"].get("store_id")
        if not await database_sync_to_async(is_agent)(user=user, store_id=store_id):
            await self.close(code=NOT_FOUND)
            return
        self.group = team_group(store_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def chat_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
