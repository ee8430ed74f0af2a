"""Generation numbers of scopes (locations.py), kept in the shared cache.

A cached or published page records the generations of the scopes it shows; bumping one is a
single cache increment, and every copy made under the old number is then out of date. A
missing number (first use, eviction, a flushed cache) starts from the clock, so it never
repeats a number that copies may still carry.

Within a request (`kept_for_request`, which the page cache wraps around each one) a scope's
number is read once: the page's cache key and the shared blocks it shows are stamped with
the same numbers, at one cache round trip instead of one each. A bump in the request forgets
what was read.
"""

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

PREFIX = "seo:gen:"

_kept: ContextVar[dict[str, int] | None] = ContextVar("kept_generations", default=None)


def _key(scope: str) -> str:
    return PREFIX + scope


@contextmanager
def kept_for_request() -> Iterator[None]:
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def current(scopes: Sequence[str]) -> list[int]:
    """The generation of each scope, in order (one cache round trip when all are known, none
    when the request has read them all)."""
    kept = _kept.get()
    known = kept if kept is not None else {}
    wanted = [_key(scope) for scope in scopes if scope not in known]
    if wanted:
        found = _read(wanted)
        known |= {scope: found[_key(scope)] for scope in scopes if scope not in known}
    return [known[scope] for scope in scopes]


def _read(keys: list[str]) -> dict[str, int]:
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        seed = time.time_ns()
        taken = [key for key in missing if not cache.add(key, seed, timeout=None)]
        # Another process added its own seed first: read back what it stored.
        found |= dict.fromkeys(missing, seed) | (cache.get_many(taken) if taken else {})
    return found


def bump(scopes: Iterable[str]) -> None:
    kept = _kept.get()
    if kept is not None:
        kept.clear()
    for key in {_key(scope) for scope in scopes}:
        try:
            cache.incr(key)
        except ValueError:  # not there yet: any fresh number retires the old copies
            cache.set(key, time.time_ns(), timeout=None)
