from datetime import timedelta

import pytest
from django.utils import timezone

from rongcheng.accounts.models import ApiToken
from rongcheng.accounts.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_token_revoke_all,
)

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_hash(member):
    token, key = api_token_create(user=member, name="iPhone 16")
    assert key.startswith("rc_") and len(key) > 40
    stored = ApiToken.objects.get()
    assert stored.name == "iPhone 16" and stored.key_hash != key and key not in stored.key_hash
    assert api_token_authenticate(key=key) == token
    assert api_token_authenticate(key=key).user == member


def test_unknown_or_malformed_keys_are_refused(member):
    _token, key = api_token_create(user=member)
    assert api_token_authenticate(key=key + "x") is None
    assert api_token_authenticate(key=key[3:]) is None
    assert api_token_authenticate(key="") is None


def test_use_refreshes_last_used(member):
    token, key = api_token_create(user=member)
    assert token.last_used_at is None
    api_token_authenticate(key=key)
    assert ApiToken.objects.get().last_used_at is not None


def test_token_unused_for_the_ttl_dies(member):
    _token, key = api_token_create(user=member)
    ApiToken.objects.update(created_at=timezone.now() - timedelta(days=30, seconds=1))
    assert api_token_authenticate(key=key) is None
    assert ApiToken.objects.count() == 0


def test_recent_use_keeps_an_old_token_alive(member):
    _token, key = api_token_create(user=member)
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=90),
        last_used_at=timezone.now() - timedelta(days=29),
    )
    assert api_token_authenticate(key=key) is not None


def test_inactive_member_token_is_refused(member):
    _token, key = api_token_create(user=member)
    member.is_active = False
    member.save()
    assert api_token_authenticate(key=key) is None


def test_revoke_one_and_all(member):
    first, first_key = api_token_create(user=member)
    _second, second_key = api_token_create(user=member)
    api_token_revoke(token=first)
    assert api_token_authenticate(key=first_key) is None
    assert api_token_authenticate(key=second_key) is not None
    assert api_token_revoke_all(user=member) == 1
    assert ApiToken.objects.count() == 0
