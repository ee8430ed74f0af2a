"""Generation numbers of scopes (locations.py), kept in the shared cache.

A cached or published page records the generations of the scopes it shows; bumping one is a
single cache increment, and every copy made under the old number is then out of date. A
missing number (first use, eviction, a flushed cache) starts from the clock, so it never
repeats a number that copies may still carry.
"""

import time
from collections.abc import Iterable, Sequence

from django.core.cache import cache

PREFIX = "seo:gen:"


def _key(scope: str) -> str:
    return PREFIX + scope


def current(scopes: Sequence[str]) -> list[int]:
    """The generation of each scope, in order (one cache round trip when all are known)."""
    keys = [_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        seed = time.time_ns()
        for key in missing:
            cache.add(key, seed, timeout=None)
        # Another process may have added its own seed first: read back what is stored.
        found |= cache.get_many(missing)
        for key in missing:
            found.setdefault(key, seed)
    return [found[key] for key in keys]


def bump(scopes: Iterable[str]) -> None:
    for key in {_key(scope) for scope in scopes}:
        try:
            cache.incr(key)
        except ValueError:  # not there yet: any fresh number retires the old copies
            cache.set(key, time.time_ns(), timeout=None)
