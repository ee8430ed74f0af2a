"""Test set-up shared by every app: database markers, the common fixtures and the frozen
clock (RONGCHENG_FROZEN_AT)."""

import os
from datetime import datetime

import pytest
import time_machine

pytest_plugins = [
    "rongcheng.core.testing.fixtures",
    "rongcheng.notifications.testing",
    "rongcheng.storefront.tests.browse_data",
]


# no test may depend on the hour it runs at. RONGCHENG_FROZEN_AT=<ISO 8601 instant with
# its offset> runs the suite at that instant: the clock starts there for the collection (module
# constants) and again at the start of every test, then runs on (tick) so durations still pass.
FROZEN_AT = os.environ.get("RONGCHENG_FROZEN_AT", "")


def frozen_instant() -> datetime | None:
    if not FROZEN_AT:
        return None
    instant = datetime.fromisoformat(FROZEN_AT)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"RONGCHENG_FROZEN_AT needs an offset: {FROZEN_AT}")
    return instant


def pytest_configure(config):
    # The statement counts the tests assert are those of a signed-in request whose session
    # is cached (Redis in service). Without Redis the embedded setup keeps sessions in the
    # database alone, as each gunicorn worker has its own local-memory cache; the tests run in
    # one process, where the cached sessions are consistent, so they count the same there.
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    instant = frozen_instant()
    if instant is not None:
        config._rongcheng_travel = time_machine.travel(instant, tick=True)
        config._rongcheng_travel.start()


def pytest_unconfigure(config):
    travel = getattr(config, "_rongcheng_travel", None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    instant = frozen_instant()
    return f"clock frozen at {instant.isoformat()} (RONGCHENG_FROZEN_AT)" if instant else None


@pytest.fixture(autouse=True)
def _frozen_clock():
    instant = frozen_instant()
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


def pytest_collection_modifyitems(config, items):
    has_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not has_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the real hasher (see test_settings); tests hash with MD5 to run quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
