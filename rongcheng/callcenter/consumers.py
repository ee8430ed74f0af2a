"""The call center's live updates (config/routing.py).

`FloorConsumer` (/ws/callcenter/floor/) tells an agent's workspace whenever an agent changes
state; the page then fetches what changed in its own language. `WallboardConsumer`
(/ws/callcenter/wallboard/) does the same for supervisors and also ticks every few seconds,
so waiting times grow on the board while nothing changes.
"""

import asyncio
import contextlib
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from rongcheng.accounts.models import User
from rongcheng.callcenter.models import Agent
from rongcheng.callcenter.push import FLOOR_GROUP
from rongcheng.callcenter.supervision import SUPERVISE
from rongcheng.notifications.consumers import UNAUTHENTICATED

# The close code for a user the call center does not serve (as for a chat not theirs).
NOT_FOUND = 4404
TICK_SECONDS = 5


def _is_agent(user: User) -> bool:
    return user.is_active and Agent.objects.filter(user_id=user.pk).exists()


def _is_supervisor(user: User) -> bool:
    return user.is_active and user.has_perm(SUPERVISE)


class FloorConsumer(AsyncJsonWebsocketConsumer):
    joined = False

    @staticmethod
    def allowed(user: User) -> bool:
        return _is_agent(user)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        if not await database_sync_to_async(self.allowed)(user):
            await self.close(code=NOT_FOUND)
            return
        await self.channel_layer.group_add(FLOOR_GROUP, self.channel_name)
        self.joined = True
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.joined:
            await self.channel_layer.group_discard(FLOOR_GROUP, self.channel_name)

    async def floor_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])


class WallboardConsumer(FloorConsumer):
    ticker: asyncio.Task | None = None

    @staticmethod
    def allowed(user: User) -> bool:
        return _is_supervisor(user)

    async def connect(self) -> None:
        await super().connect()
        if self.joined:
            self.ticker = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            await self.send_json({"type": "tick"})

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.ticker
        await super().disconnect(code)
