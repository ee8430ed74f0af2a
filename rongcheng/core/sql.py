"""SQL without the query compiler, for the statements that run on every order placed.

The ORM compiles a queryset again on every call, and on the placement path that compile was
most of the client's CPU (bench/BENCHMARKS.md). Two tools, for PostgreSQL and SQLite alike:

- `Statement`: SQL text written once. The rows it reads pass through the converters the ORM
  applies to the same fields (Decimal and aware datetimes on SQLite, its 0/1 booleans), so a
  caller gets exactly the values a queryset would give. A list given for a `%s` is expanded
  to one placeholder per item, so `id IN (%s)` takes a list.
- `insert`: new model instances in one INSERT, as `bulk_create` writes them.
- `every_column` and `instance`: a whole row read by a statement becomes the model instance
  a queryset would build (for pages that hand a model to their templates).

On PostgreSQL their parameters are bound on the server (unless Django is logging the
queries), so that psycopg prepares a statement on a connection's second run of it
(`prepare_threshold`, config/environment.py) and the server plans it once per connection
instead of on every run: planning took several times longer than running the pages' short
reads (bench/BENCHMARKS.md). The ORM's queries keep Django's client-side binding, which
psycopg never prepares.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import psycopg
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Col
from django.db.models.fields import AutoFieldMixin

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


def fields(model: type[Model], *names: str) -> list[Field | None]:
    """The model's fields by name: the columns of a statement's rows, in order."""
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def every_column(model: type[Model], alias: str) -> tuple[str, list[Field | None]]:
    """The select list of every concrete column of `model` under the table alias `alias`,
    and its fields (the `columns` of a Statement); `instance` builds the model from them."""
    concrete = list(model._meta.concrete_fields)
    return ", ".join(f"{alias}.{field.column}" for field in concrete), concrete  # type: ignore[return-value]


def instance(model: type[M], values: Sequence[Any]) -> M:
    """The instance a queryset builds from the values of `every_column(model, …)`."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(router.db_for_read(model), names, values)


class Statement:
    def __init__(self, sql: str, columns: Sequence[Field | None] = ()) -> None:
        """`columns`: for each column the statement reads, the field whose conversions apply
        (None: the value as the driver gives it, e.g. ids, counts, text)."""
        self.sql = sql
        self._parts = sql.split("%s")
        self._columns = tuple(columns)
        self._converters: dict[str, list[tuple[int, list[Converter], Col]]] = {}

    def _bind(self, params: Sequence[Any]) -> tuple[str, list[Any]]:
        if not any(isinstance(param, list | tuple) for param in params):
            return self.sql, list(params)
        sql, flat = [self._parts[0]], list[Any]()
        for param, part in zip(params, self._parts[1:], strict=True):
            if isinstance(param, list | tuple):
                # IN (NULL) matches nothing, as an empty list should.
                sql.append(", ".join(["%s"] * len(param)) or "NULL")
                flat.extend(param)
            else:
                sql.append("%s")
                flat.append(param)
            sql.append(part)
        return "".join(sql), flat

    def run(self, params: Sequence[Any] = (), *, using: str = "default") -> int:
        """Execute a write; returns the number of rows it changed."""
        sql, flat = self._bind(params)
        with _cursor(connections[using]) as cursor:
            cursor.execute(sql, flat)
            return cursor.rowcount

    def rows(
        self, params: Sequence[Any] = (), *, using: str | None = None, planned_per_run: bool = False
    ) -> list[tuple]:
        """Read from where the router sends reads, as a queryset would (a replica only
        outside a transaction, see core/db_routing.py). `planned_per_run`: bound on the
        client, as the ORM binds, so that PostgreSQL plans the statement for the values of
        each run, never once for any values (a walk of an index that pays for some words
        only)."""
        # No model: the project's router sends every read alike.
        connection = connections[using or router.db_for_read(None)]  # type: ignore[arg-type]
        sql, flat = self._bind(params)
        with connection.cursor() if planned_per_run else _cursor(connection) as cursor:
            cursor.execute(sql, flat)
            rows = cursor.fetchall()
        converters = self._converters_for(connection)
        if not converters:
            return rows
        return [_converted(row, converters, connection) for row in rows]

    def _converters_for(
        self, connection: BaseDatabaseWrapper
    ) -> list[tuple[int, list[Converter], Col]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for position, field in enumerate(self._columns):
                if field is None:
                    continue
                column = Col("", field)
                convs = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if convs:
                    found.append((position, convs, column))
            self._converters[connection.vendor] = found
        return found


def _cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """`connection.cursor()`, binding the parameters on the server on PostgreSQL: the steps of
    Django's own `BaseDatabaseWrapper._cursor`, with psycopg's plain cursor (which binds on
    the server) in place of the client-binding one Django opens.

    Where Django logs the queries (DEBUG, tests that capture them), its own cursor: psycopg
    keeps no text of a statement it runs prepared, and the log would hold None for it."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        # Wraps it as Django wraps its own (query logging, execute_wrapper): the stubs omit it.
        return connection._prepare_cursor(psycopg.Cursor(connection.connection))  # type: ignore[attr-defined]


def _converted(
    row: tuple, converters: list[tuple[int, list[Converter], Col]], connection: Any
) -> tuple:
    values = list(row)
    for position, convs, column in converters:
        for convert in convs:
            values[position] = convert(values[position], column, connection)
    return tuple(values)


def insert(objs: Sequence[M], *, using: str = "default") -> list[M]:
    """Insert new instances of one model in one statement and set their ids: what
    `bulk_create` does for them, without compiling a query. Each field gives its value as it
    does for the ORM (`pre_save`: auto_now stamps; `get_db_prep_save`: Decimal, datetimes)."""
    if not objs:
        return []
    connection = connections[using]
    meta = objs[0]._meta
    # The database numbers the rows: an auto id is left out and read back.
    columns = [field for field in meta.concrete_fields if not isinstance(field, AutoFieldMixin)]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    pk = connection.ops.quote_name(meta.pk.column)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(objs))} RETURNING {pk}"
    )
    params = [
        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        for obj in objs
        for field in columns
    ]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        ids = cursor.fetchall()
    for obj, (pk,) in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return list(objs)
