"""Prometheus metrics at /metrics, for the internal network only (METRICS_ALLOWED_NETWORKS).

Request rates and latencies per view, database query times, cache operation times, page-cache
hits and misses, and the length of the Celery queue. Under gunicorn each worker keeps its own
figures in PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py), which /metrics adds up.
"""

import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import redis
from django.conf import settings
from django.db.backends.signals import connection_created
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from rongcheng.core.client_ip import client_ip

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
QUERY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)

REQUESTS = Counter(
    "rongcheng_http_requests", "Requests answered, per view", ["view", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "rongcheng_http_request_seconds", "Time to answer a request, per view", ["view"],
    buckets=LATENCY_BUCKETS,
)  # fmt: skip
PAGE_CACHE = Counter(
    "rongcheng_page_cache_responses", "Anonymous pages from the page cache", ["result"]
)
DB_QUERY_SECONDS = Histogram(
    "rongcheng_db_query_seconds", "Database query time", ["database"], buckets=QUERY_BUCKETS
)
CACHE_SECONDS = Histogram(
    "rongcheng_cache_operation_seconds", "Cache operation time", ["operation"],
    buckets=QUERY_BUCKETS,
)  # fmt: skip


def view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    # Unresolved addresses (404s, published-page misses) share one label: no label per URL.
    return match.view_name if match is not None and match.view_name else "<unresolved>"


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request)
        REQUEST_SECONDS.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        if response.has_header("X-Page-Cache"):
            PAGE_CACHE.labels(response["X-Page-Cache"]).inc()
        return response


def _timed_query(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        alias = context["connection"].alias
        DB_QUERY_SECONDS.labels(alias).observe(time.perf_counter() - started)


def _time_queries(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _timed_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_timed_query)


def connect() -> None:
    connection_created.connect(_time_queries, dispatch_uid="rongcheng-metrics-queries")


class CeleryQueueCollector(Collector):
    """The number of tasks waiting in the broker, read when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        queue = GaugeMetricFamily(
            "rongcheng_celery_queue_length", "Tasks waiting in the broker", labels=["queue"]
        )
        if settings.CELERY_BROKER_URL.startswith("redis"):
            broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
            try:
                queue.add_metric(["celery"], broker.llen("celery"))
            except redis.RedisError:
                pass  # the readiness probe reports an unreachable Redis
            finally:
                broker.close()
        yield queue


def allowed(request: HttpRequest) -> bool:
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    output = generate_latest(registry)
    output += generate_latest(_queue_registry())
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


def _queue_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(CeleryQueueCollector())
    return registry
