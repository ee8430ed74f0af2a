"""Test set-up shared by every app: database markers and the common fixtures."""

import os

import pytest

pytest_plugins = [
    "rongcheng.core.testing.fixtures",
    "rongcheng.notifications.testing",
    "rongcheng.storefront.tests.browse_data",
]


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
