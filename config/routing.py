"""WebSocket routes, all under /ws/ (served by uvicorn)."""

websocket_urlpatterns: list = []
