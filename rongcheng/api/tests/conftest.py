import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from rongcheng.checkout.tests.buying import Mall, build_mall


@pytest.fixture
def wsgi_connection_kept():
    """Requests sent straight to the WSGI application (schemathesis, werkzeug) close the
    database connection when they end, which would end the test's transaction on PostgreSQL;
    keep it open, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def shop(regions) -> Mall:
    """The small mall of the buying tests: two Ordos stores, one sweater, a buyer with
    addresses."""
    return build_mall(regions)
