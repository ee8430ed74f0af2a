"""The Redis cache, timing each operation for the metrics, with one client per process."""

import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from rongcheng.core.observability.metrics import CACHE_SECONDS

TIMED = ("get", "set", "add", "delete", "get_many", "set_many", "delete_many", "incr", "touch")

# One Redis client, and so one connection pool, per server and options in this process.
_clients: dict[tuple[Any, ...], Any] = {}
_clients_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client builds a Redis client (and its table of response callbacks) for every
    operation, and a connection pool for every cache object (one per thread): this one keeps
    one of each per process. A Redis client is safe to share between threads, and its pool
    starts afresh in a forked child."""

    # Django's, which its type stubs do not declare.
    _servers: list[str]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def get_client(self, key=None, *, write=False):
        server = self._servers[self._get_connection_pool_index(write)]
        identity = (self._pool_class, server, repr(sorted(self._pool_options.items())))
        client = _clients.get(identity)
        if client is None:
            with _clients_lock:
                client = _clients.get(identity)
                if client is None:
                    pool = self._pool_class.from_url(server, **self._pool_options)
                    client = _clients[identity] = self._client(connection_pool=pool)
        return client


def _timed(operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(method)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            CACHE_SECONDS.labels(operation).observe(time.perf_counter() - started)

    return timed


class TimedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedRedisCacheClient


for _operation in TIMED:
    setattr(TimedRedisCache, _operation, _timed(_operation, getattr(RedisCache, _operation)))
