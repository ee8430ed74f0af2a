"""Facet counts and rankings of broad searches, kept per generation of the index (issue 8).

A word found in most products (羊绒 is in 62 % of a cashmere shop's) costs its facets one pass
over every match, tens of thousands of rows, and its ranking reads its 1,000 best sellers;
such words are the ones typed most. Both depend on the index alone, so they are kept in the
shared cache under the statement that makes them and the index's generation. Every write to
the index bumps the generation once it has committed (services.py), retiring everything kept
at once: what is kept is exact as of the last committed write, never older. A missing
generation starts from the clock (seo.generations), so a flushed cache revives nothing.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from rongcheng.seo import generations

SCOPE = "search-index"
KEY_PREFIX = "search:counts:"
# Only bounds how long an unused entry stays: a write retires the rest.
KEPT_SECONDS = 3600


def index_changed() -> None:
    """Retire every kept count (the index was written and the write has committed)."""
    generations.bump([SCOPE])


def _always(rows: list) -> bool:
    return True


def kept(
    statement: tuple,
    read: Callable[[], list],
    *,
    keep: bool,
    worth_keeping: Callable[[list], bool] = _always,
) -> list:
    """The rows `read` gives, which a `statement` (its SQL and parameters) over the index
    reads; with `keep`, read from the cache, or read and kept there if `worth_keeping`."""
    if not keep:
        return read()
    (generation,) = generations.current([SCOPE])
    key = KEY_PREFIX + hashlib.sha256(repr((generation, *statement)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = read()
        if worth_keeping(found):
            cache.set(key, found, KEPT_SECONDS)
    return found
