"""WebSocket routes, all under /ws/ (served by uvicorn)."""

from typing import Any

from django.urls import path, re_path

from rongcheng.callcenter.consumers import FloorConsumer, WallboardConsumer
from rongcheng.messaging.consumers import ChatConsumer, TeamConsumer
from rongcheng.notifications.consumers import NotificationConsumer


async def websocket_not_found(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Any other address: refuse the handshake with 404 where the server can answer it with
    an HTTP response (uvicorn can), otherwise with a plain refusal; never a server error."""
    await receive()  # websocket.connect
    if "websocket.http.response" in scope.get("extensions", {}):
        await send(
            {
                "type": "websocket.http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "websocket.http.response.body", "body": b"Not Found"})
    else:
        await send({"type": "websocket.close", "code": 1008})


websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/chat/<int:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/chat/team/platform/", TeamConsumer.as_asgi()),
    path("ws/chat/team/<int:store_id>/", TeamConsumer.as_asgi()),
    path("ws/callcenter/floor/", FloorConsumer.as_asgi()),
    path("ws/callcenter/wallboard/", WallboardConsumer.as_asgi()),
    re_path(r"", websocket_not_found),
]
