"""Copies of shared-cache values that a process keeps for a few seconds.

Every first visit of a page reads the same few values from Redis: the visitor's city, a
category page's shared blocks. Each read is a round trip and an unpickling, together about
a fifth of a category page's CPU (bench/BENCHMARKS.md). A process keeps its own copy of such
a value for a few seconds: under load it then reads each one from Redis once in that time.

Only values that do not change under their key (a block's key holds the generations of what
it shows) or that are allowed to be that much older (a city, cached for a day) are kept: a
copy may be up to `seconds` older than the shared cache's.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Any, TypeVar

T = TypeVar("T")

_every: list["ProcessCopies"] = []


class ProcessCopies:
    def __init__(self, seconds: float, size: int = 256) -> None:
        self.seconds, self.size = seconds, size
        self._copies: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        _every.append(self)

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The kept copy of `key`, else what `read()` gives (kept unless None)."""
        now = monotonic()
        with self._lock:
            found = self._copies.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = read()
        if value is not None:
            with self._lock:
                self._copies[key] = (now + self.seconds, value)
                self._copies.move_to_end(key)
                while len(self._copies) > self.size:
                    self._copies.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()


def forget_all() -> None:
    """Drop every kept copy: for tests, which empty the shared cache between them."""
    for copies in _every:
        copies.clear()
