"""The readiness probe: may this host take traffic? (The liveness probe, /healthz, touches
nothing, so a database outage does not make every host restart at once.) Both answer whatever
host name the prober asks for."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import split_domain_port, validate_host

PROBE_PATHS = frozenset({"/healthz", "/readyz"})


def _database_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis_answers() -> bool:
    if not settings.REDIS_URL:
        return True  # the embedded setup has no Redis
    try:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        return bool(client.ping())
    except Exception:
        return False


def readiness(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_answers(), "redis": _redis_answers()}
    return JsonResponse(checks, status=200 if all(checks.values()) else 503)


class ProbeHostMiddleware:
    """A load balancer probes each host by its address (and `curl localhost:8001/readyz` names
    localhost): Django would refuse that Host with 400 and the balancer take every host out of
    rotation. For the probes alone, a Host outside ALLOWED_HOSTS is replaced by an allowed
    one; they answer the same whatever the name, and every other path is still refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PROBE_PATHS and settings.ALLOWED_HOSTS:
            domain, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
            if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
                request.META["HTTP_HOST"] = settings.ALLOWED_HOSTS[0].lstrip(".")
        return self.get_response(request)
