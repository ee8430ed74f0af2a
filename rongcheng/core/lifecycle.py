"""One pattern for every status a row moves through: orders, payments, withdrawals, agents.

An app's `state.py` declares a `Lifecycle`: its model's status field, the transition table (each
state → the states it may move to; a state with no way out is final), the event model and the
app's own refusal. The lifecycle is then the only writer of that field. Each step, in one
transaction, checks the table (and the caller's `expect`, a guard on where the row must stand),
writes the new status with the step's side fields, and appends the event row the app builds
from the row as it was. Three ways to take a step:

- `move`: locks the row and re-reads its status first (the usual step).
- `move_many`: a set of rows, locked in id order. Rows that may not take the step are skipped,
  so a periodic job can run again at any time.
- `move_if_unchanged`: for a row the caller has already locked and read. One conditional UPDATE
  (`WHERE status = the status read`) costs no second read; a stale row is refused, never
  overwritten.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone

from rongcheng.core.errors import ApplicationError

Row = TypeVar("Row", bound=models.Model)
Event = TypeVar("Event", bound=models.Model)

# Each state → the states it may move to.
Table = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Step(Generic[Row, Event]):
    """A step taken: the row as saved and the event appended."""

    row: Row
    event: Event


@dataclass(frozen=True)
class Lifecycle(Generic[Row, Event]):
    model: type[Row]
    events: type[Event]
    table: Table
    # The app's error for a step the table or `expect` refuses, given the row as it stands.
    refused: Callable[[Row, str], ApplicationError]
    field: str = "status"

    def __post_init__(self) -> None:
        targets = set().union(*self.table.values())
        if not targets <= set(self.table):
            missing = ", ".join(sorted(str(state) for state in targets - set(self.table)))
            raise ValueError(f"{self.model.__name__}: states without a row: {missing}")

    def allows(self, source: str, to: str, expect: Iterable[str] | None = None) -> bool:
        guarded = expect is None or source in set(expect)
        return guarded and to in self.table.get(source, frozenset())

    def sources_of(self, to: str) -> list[str]:
        """The states from which a row may move to `to`."""
        return sorted(source for source, targets in self.table.items() if to in targets)

    def move(
        self,
        row: Row,
        *,
        to: str,
        event: Callable[[Row], Event],
        changes: Mapping[str, Any] | None = None,
        expect: Iterable[str] | None = None,
    ) -> Step[Row, Event]:
        """Lock the row, check the step from its status as now stored, save the status with
        `changes` and append `event(row as it was)`. `row` itself is brought up to date."""
        fields = {self.field: to, **(changes or {})}
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=row.pk)
            if not self.allows(getattr(locked, self.field), to, expect):
                raise self.refused(locked, to)
            log = event(locked)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=[*fields, *self._auto_now()])
            log.save()
        # What a refresh would read, without reading it again.
        for field in self.model._meta.concrete_fields:
            setattr(row, field.attname, getattr(locked, field.attname))
        return Step(locked, log)

    def move_many(
        self,
        ids: Sequence[int],
        *,
        to: str,
        event: Callable[[Row], Event],
        changes: Mapping[str, Any] | None = None,
        expect: Iterable[str] | None = None,
    ) -> list[int]:
        """Move every row of `ids` that may take the step; returns the ids moved, sorted.

        `event` gets each row as it was with only its id and status loaded."""
        candidates = self.sources_of(to) if expect is None else expect
        sources = [source for source in candidates if self.allows(source, to)]
        with transaction.atomic():
            rows = list(
                self.model._default_manager.select_for_update()
                .filter(pk__in=list(ids), **{f"{self.field}__in": sources})
                .only(self.field)
                .order_by("pk")
            )
            moved = [row.pk for row in rows]
            self.model._default_manager.filter(pk__in=moved).update(**self._written(to, changes))
            self.events._default_manager.bulk_create([event(row) for row in rows])
        return moved

    def move_if_unchanged(
        self,
        row: Row,
        *,
        to: str,
        event: Callable[[Row], Event],
        stale: Callable[[Row], ApplicationError],
        changes: Mapping[str, Any] | None = None,
    ) -> Step[Row, Event]:
        """Take the step from the status `row` was read with, in the caller's transaction.

        The caller holds the row's lock (or has just created the row): the UPDATE's
        `WHERE status = …` makes a row changed since it was read raise `stale(row)` instead."""
        source = getattr(row, self.field)
        if not self.allows(source, to):
            raise self.refused(row, to)
        fields = self._written(to, changes)
        with transaction.atomic():
            log = event(row)
            unchanged = self.model._default_manager.filter(pk=row.pk, **{self.field: source})
            if not unchanged.update(**fields):
                raise stale(row)
            for name, value in fields.items():
                setattr(row, name, value)
            log.save()
        return Step(row, log)

    def _auto_now(self) -> list[str]:
        """The row's last-changed stamps (`auto_now`), which a plain UPDATE does not set."""
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if getattr(field, "auto_now", False)
        ]

    def _written(self, to: str, changes: Mapping[str, Any] | None) -> dict[str, Any]:
        now = timezone.now()
        return {**dict.fromkeys(self._auto_now(), now), self.field: to, **(changes or {})}
