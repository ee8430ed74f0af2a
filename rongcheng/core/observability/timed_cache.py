"""The Redis cache, timing each operation for the metrics."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache

from rongcheng.core.observability.metrics import CACHE_SECONDS

TIMED = ("get", "set", "add", "delete", "get_many", "set_many", "delete_many", "incr", "touch")


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
    pass


for _operation in TIMED:
    setattr(TimedRedisCache, _operation, _timed(_operation, getattr(RedisCache, _operation)))
