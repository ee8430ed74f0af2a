"""Reads to the read replicas, with read-your-writes; writes and locks to the primary.

Only read-only requests rendered for one client read from a replica: members' pages (a session
cookie) and API calls with a token. Anonymous pages go into the page cache and the published
files for everyone, so they are rendered from the primary: a lagging replica must never put an
old price into a shared copy just after a purge. A request reads from a replica only while it
has written nothing: one that writes, locks a row (select_for_update asks for the write
database) or opens a transaction reads from the primary from then on, and the client's next
requests too, for READ_YOUR_WRITES_SECONDS (a cookie), so nobody misses their own change while
a replica lags. Celery tasks and commands always read the primary: they act on what they read.
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

PRIMARY_COOKIE = "rc_primary"
# Longer than the replicas ever lag behind in normal operation (monitor replay lag below it).
READ_YOUR_WRITES_SECONDS = 10
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The replica this request reads from (one per request, so its reads agree with each other).
_replica: ContextVar[str | None] = ContextVar("replica", default=None)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        replica = _replica.get()
        if replica is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # A transaction reads what it wrote and what it locked.
            return DEFAULT_DB_ALIAS
        return replica

    def db_for_write(self, model, **hints) -> str:
        if _replica.get() is not None:
            _replica.set(None)
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads go to one replica until something is written."""
    replicas = settings.DATABASE_REPLICAS
    # Spreading the load, not security.
    replica = _replica.set(random.choice(replicas) if replicas else None)  # noqa: S311
    wrote = _wrote.set(False)
    try:
        yield
    finally:
        _replica.reset(replica)
        _wrote.reset(wrote)


class ReplicaReadsMiddleware:
    """Lets read-only requests of clients that wrote nothing lately read from a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        if not _may_read_replica(request):
            response = self.get_response(request)
            wrote = request.method not in SAFE_METHODS
        else:
            with replica_reads():
                response = self.get_response(request)
                wrote = _wrote.get()
        if wrote:
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=READ_YOUR_WRITES_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def _may_read_replica(request: HttpRequest) -> bool:
    for_one_client = (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers
    )
    return (
        for_one_client and request.method in SAFE_METHODS and PRIMARY_COOKIE not in request.COOKIES
    )
