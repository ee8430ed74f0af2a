"""A kept connection is health-checked only after it rested (core/postgres/base.py)."""

from unittest import mock

import pytest
from django.db import OperationalError, close_old_connections, connection, connections

from rongcheng.core.postgres import base

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
    pytest.mark.django_db(transaction=True),
]


def _request(statement: str = "SELECT 1") -> int:
    """One request as Django runs it: connections looked at as it starts and as it ends."""
    close_old_connections()
    with connection.cursor() as cursor:
        cursor.execute(statement)
        (value,) = cursor.fetchone()
    close_old_connections()
    return value


@pytest.fixture(autouse=True)
def rest_of_an_hour(monkeypatch):
    """A window no slow host outlasts between two requests of a test: the tests that want a
    connection to have rested say so (0 s, or a stamp moved back)."""
    monkeypatch.setattr(base, "CHECK_AFTER_REST_SECONDS", 3600.0)


@pytest.fixture
def checks():
    _request()  # a kept connection that has served a request
    with mock.patch.object(
        base.DatabaseWrapper, "is_usable", autospec=True, side_effect=lambda c: True
    ) as is_usable:
        yield is_usable


def test_the_engine_is_ours():
    assert type(connections["default"]) is base.DatabaseWrapper


def test_a_connection_used_a_moment_ago_is_not_checked(checks):
    assert [_request() for _ in range(3)] == [1, 1, 1]
    assert checks.call_count == 0


def test_a_connection_that_rested_is_checked_once_a_request(checks, monkeypatch):
    monkeypatch.setattr(base, "CHECK_AFTER_REST_SECONDS", 0.0)
    assert [_request() for _ in range(3)] == [1, 1, 1]
    assert checks.call_count == 3


def test_a_request_without_statements_does_not_count_as_use(checks):
    connections["default"].rested_since -= 7200  # the connection last ran statements 2 h ago
    close_old_connections()  # a request that reads nothing from the database
    close_old_connections()
    assert _request() == 1
    assert checks.call_count == 1


def test_a_dropped_connection_that_rested_is_replaced_before_the_request_uses_it(monkeypatch):
    _request()
    before = connection.connection
    monkeypatch.setattr(base, "CHECK_AFTER_REST_SECONDS", 0.0)
    with mock.patch.object(
        base.DatabaseWrapper, "is_usable", autospec=True, side_effect=lambda c: False
    ):
        assert _request("SELECT 2") == 2
    assert connection.connection is not before


def test_a_connection_dropped_before_it_rested_fails_one_request_and_is_closed_at_its_end():
    _request()
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    other.close()
    close_old_connections()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    close_old_connections()
    assert connection.connection is None
    assert _request() == 1
