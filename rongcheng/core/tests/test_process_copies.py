"""A process keeps a shared-cache value for its few seconds, and drops it on demand."""

import pytest

from rongcheng.core import process_copies
from rongcheng.core.process_copies import ProcessCopies, forget_all


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(process_copies, "monotonic", lambda: now[0])
    return now


class Reads:
    def __init__(self, *values):
        self.values, self.count = list(values), 0

    def __call__(self):
        self.count += 1
        return self.values.pop(0)


def test_a_value_is_read_once_in_its_seconds_and_again_after(clock):
    copies = ProcessCopies(seconds=10)
    read = Reads("old", "new")
    assert copies.get("city", read) == "old"
    clock[0] += 9.9
    assert copies.get("city", read) == "old"
    assert read.count == 1
    clock[0] += 0.2
    assert copies.get("city", read) == "new"
    assert read.count == 2


def test_nothing_found_is_not_kept(clock):
    copies = ProcessCopies(seconds=10)
    read = Reads(None, "found")
    assert copies.get("city", read) is None
    assert copies.get("city", read) == "found"


def test_the_oldest_copies_go_past_the_size(clock):
    copies = ProcessCopies(seconds=10, size=2)
    for key in ("a", "b", "c"):
        copies.get(key, lambda key=key: key.upper())
    assert copies.get("a", lambda: "read again") == "read again"
    assert copies.get("c", lambda: "read again") == "C"


def test_forgetting_drops_every_copy(clock):
    copies = ProcessCopies(seconds=10)
    copies.get("city", lambda: "kept")
    forget_all()
    assert copies.get("city", lambda: "read again") == "read again"
