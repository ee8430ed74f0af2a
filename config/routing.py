"""WebSocket routes, all under /ws/ (served by uvicorn)."""

from django.urls import path

from rongcheng.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
