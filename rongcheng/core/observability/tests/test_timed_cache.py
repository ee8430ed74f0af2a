import threading

import pytest
from prometheus_client import REGISTRY

from rongcheng.core.observability.timed_cache import SharedRedisCacheClient, TimedRedisCache

pytestmark = pytest.mark.redis


def get_count() -> float:
    return (
        REGISTRY.get_sample_value("rongcheng_cache_operation_seconds_count", {"operation": "get"})
        or 0.0
    )


def test_cache_objects_in_every_thread_share_one_redis_client(settings, monkeypatch):
    location = settings.CACHES["default"]["LOCATION"]
    handed_out = []
    get_client = SharedRedisCacheClient.get_client

    def recording(self, key=None, *, write=False):
        handed_out.append(get_client(self, key, write=write))
        return handed_out[-1]

    monkeypatch.setattr(SharedRedisCacheClient, "get_client", recording)
    cache = TimedRedisCache(location, {"KEY_PREFIX": "shared-client"})
    cache.set("colour", "红", 60)
    read = [cache.get("colour")]
    # Django keeps a cache object per thread: another thread's reaches the same client.
    worker = threading.Thread(
        target=lambda: read.append(
            TimedRedisCache(location, {"KEY_PREFIX": "shared-client"}).get("colour")
        )
    )
    worker.start()
    worker.join()
    cache.delete("colour")

    assert read == ["红", "红"]
    assert len(handed_out) == 4
    assert {id(client) for client in handed_out} == {id(handed_out[0])}


def test_each_operation_is_timed_once(settings):
    cache = TimedRedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": "timed"})
    before = get_count()
    cache.get("absent")
    cache.get("absent")
    assert get_count() - before == 2
