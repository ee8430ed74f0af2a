"""Bearer tokens for the app and the mini-program. Only a SHA-256 of each token is stored.

A token dies after RONGCHENG["API_TOKEN_TTL"] without use, when revoked (log out), and when
its member's password changes, whichever way it changes (User.save).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rongcheng.accounts.models import ApiToken, User

TOKEN_PREFIX = "rc_"
# last_used_at is refreshed at most this often: a write per request would be wasteful.
TOUCH_INTERVAL = timedelta(minutes=10)


def _hash(key: str) -> str:
    # The key carries 256 random bits, so a plain hash is enough (no salt, no slow hasher).
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Return the stored token and its key; the key is shown this once and never again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, key_hash=_hash(key), name=name[:100])
    return token, key


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for this key, with its user loaded; None when unknown or expired."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if (token.last_used_at or token.created_at) <= now - settings.RONGCHENG["API_TOKEN_TTL"]:
        ApiToken.objects.filter(pk=token.pk).delete()
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at <= now - TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).delete()


def api_token_revoke_all(*, user: User) -> int:
    with transaction.atomic():
        deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
