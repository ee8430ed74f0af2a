"""WebSocket routes, all under /ws/ (served by uvicorn)."""

from django.urls import path

from rongcheng.messaging.consumers import ChatConsumer, TeamConsumer
from rongcheng.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/chat/<int:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/chat/team/platform/", TeamConsumer.as_asgi()),
    path("ws/chat/team/<int:store_id>/", TeamConsumer.as_asgi()),
]
