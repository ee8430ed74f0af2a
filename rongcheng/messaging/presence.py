"""Whether a member has a chat open right now, kept in the shared cache (Redis in
production) by the chat consumer: set on connect and on every frame, for
CHAT_PRESENCE_TTL; the page's heartbeat keeps it alive, a lost connection lets it lapse."""

from django.conf import settings
from django.core.cache import cache


def _key(user_id: int) -> str:
    return f"chat:online:{user_id}"


def presence_mark(user_id: int) -> None:
    ttl = settings.RONGCHENG["CHAT_PRESENCE_TTL"].total_seconds()
    cache.set(_key(user_id), 1, timeout=ttl)


def presence_clear(user_id: int) -> None:
    cache.delete(_key(user_id))


def is_online(user_id: int) -> bool:
    return cache.get(_key(user_id)) is not None
