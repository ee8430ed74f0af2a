"""One interface, two full-text backends: SQLite FTS5 (embedded) and PostgreSQL tsvector."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from rongcheng.search.backends.base import Backend, Clause
from rongcheng.search.backends.postgres import PostgresBackend
from rongcheng.search.backends.sqlite import SqliteBackend

BACKENDS: dict[str, Backend] = {"sqlite": SqliteBackend(), "postgresql": PostgresBackend()}


def backend() -> Backend:
    """The backend of the database in use."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None


__all__ = ["Backend", "Clause", "backend"]
