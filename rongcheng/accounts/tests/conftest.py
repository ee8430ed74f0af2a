import pytest
from django.core.cache import cache

from rongcheng.notifications.testing import committed  # noqa: F401 - a fixture


@pytest.fixture(autouse=True)
def _fresh_cache():
    """E-mail codes and recovery limits live in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Argon2 is slow by design; these tests hash hundreds of passwords and answers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
