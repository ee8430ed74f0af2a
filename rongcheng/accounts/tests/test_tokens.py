import io
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rongcheng.accounts import roles
from rongcheng.accounts.models import ApiToken, User
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.accounts.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_token_revoke_all,
)
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory

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


@pytest.fixture
def tokens(member):
    """Two devices of the member, and one of another member that must survive."""
    other = UserFactory()
    for user, name in [(member, "iPhone"), (member, "iPad"), (other, "Android")]:
        api_token_create(user=user, name=name)
    return other


def test_a_password_set_in_the_back_office_revokes_the_tokens(client, member, tokens):
    client.force_login(staff_with_role(roles.CS_SUPERVISOR))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[member.pk]),
        {"password1": "Reset#ByStaff2026", "password2": "Reset#ByStaff2026"},
    )
    assert response.status_code == 302
    assert list(ApiToken.objects.values_list("user", "name")) == [(tokens.pk, "Android")]


def test_any_saved_password_change_revokes_the_tokens(member, tokens):
    member.set_password("Changed#2026")
    member.save()
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Android"]


def test_changepassword_command_revokes_the_tokens(member, tokens, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Changed#Cmd2026")
    call_command("changepassword", member.username, stdout=io.StringIO())
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Android"]


def test_other_saves_keep_the_tokens(member, tokens):
    member.real_name = "李四"
    member.save()
    member.set_password("Unsaved#2026")
    member.save(update_fields=["real_name"])  # the new password is not what gets saved
    assert ApiToken.objects.count() == 3


def test_a_hash_upgrade_at_login_is_no_password_change(member, tokens, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    User.objects.filter(pk=member.pk).update(
        password=make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    )
    member.refresh_from_db()
    assert member.check_password(DEFAULT_PASSWORD)
    member.refresh_from_db()
    assert member.password.startswith("md5$")  # upgraded to the first hasher and saved
    assert ApiToken.objects.count() == 3
