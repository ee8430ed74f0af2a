"""Live call-center events over WebSocket (/ws/callcenter/…), always after the commit.

Every agent state change is a work-record row (`AgentEvent`), so one receiver on that row
tells the floor — the agents' workspaces and the supervisors' wallboards — who changed.
"""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from rongcheng.callcenter.models import AgentEvent

FLOOR_GROUP = "callcenter.floor"


def agent_event_payload(event: AgentEvent) -> dict[str, Any]:
    return {
        "type": "agent",
        "agent": event.agent_id,
        "state": event.to_state,
        "call": event.call_id,
    }


def push_to_floor(payload: dict[str, Any]) -> None:
    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            FLOOR_GROUP, {"type": "floor.event", "payload": payload}
        )

    transaction.on_commit(send, robust=True)


def agent_event_saved(sender: type, instance: AgentEvent, created: bool, **kwargs: Any) -> None:
    if created:
        push_to_floor(agent_event_payload(instance))
