"""django-axes locks an (account name, IP address) pair after five failed logins, and an
account after LOGIN_ACCOUNT_FAILURE_LIMIT failures from all addresses together."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.notifications.models import SandboxSms

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账号已临时锁定，请 15 分钟后再试或通过短信找回密码。"


def attempt(client, identifier, password, ip, **meta):
    return client.post(
        reverse("storefront:login"),
        {"identifier": identifier, "password": password},
        REMOTE_ADDR=ip,
        **meta,
    )


def test_five_failures_lock_the_name_and_address_pair(client, member):
    for _ in range(4):
        response = attempt(client, member.mobile, "wrong", "10.0.0.1")
        assert response.status_code == 200
        assert "账号或密码不正确。" in response.content.decode()
    response = attempt(client, member.mobile, "wrong", "10.0.0.1")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    # Even the right password is refused from that address now …
    response = attempt(client, member.mobile, DEFAULT_PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked(client, member):
    for _ in range(5):
        attempt(client, member.mobile, "wrong", "10.0.0.1")
    response = attempt(client, member.mobile, DEFAULT_PASSWORD, "10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_another_account_from_the_same_address_is_not_locked(client, member):
    other = UserFactory(mobile="13911110000")
    for _ in range(5):
        attempt(client, member.mobile, "wrong", "10.0.0.1")
    response = attempt(client, other.mobile, DEFAULT_PASSWORD, "10.0.0.1")
    assert response.status_code == 302


def test_four_failures_then_success_starts_counting_again(client, member):
    for _ in range(4):
        attempt(client, member.mobile, "wrong", "10.0.0.1")
    assert attempt(client, member.mobile, DEFAULT_PASSWORD, "10.0.0.1").status_code == 302
    client.post(reverse("storefront:logout"))
    for _ in range(4):
        assert attempt(client, member.mobile, "wrong", "10.0.0.1").status_code == 200


def test_the_names_of_one_account_share_one_count(client):
    UserFactory(username="wang01", mobile="13911112222", email="wang@example.com")
    for identifier in ["wang01", "13911112222", "WANG@example.com", "Wang01"]:
        assert attempt(client, identifier, "wrong", "10.0.0.1").status_code == 200
    assert attempt(client, "wang@example.com", "wrong", "10.0.0.1").status_code == 429
    assert attempt(client, "wang01", DEFAULT_PASSWORD, "10.0.0.1").status_code == 429


def test_unknown_names_are_locked_like_real_ones(client):
    for _ in range(4):
        assert attempt(client, "nobody", "wrong", "10.0.0.1").status_code == 200
    assert attempt(client, "nobody", "wrong", "10.0.0.1").status_code == 429


def test_behind_the_proxy_each_client_address_is_locked_apart(client, settings, member):
    """nginx connects from 127.0.0.1 for everyone: the lock follows the forwarded address."""
    settings.RONGCHENG = {**settings.RONGCHENG, "TRUSTED_PROXY_COUNT": 1}
    for _ in range(5):
        attempt(client, member.mobile, "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR="1.180.3.4")
    locked = attempt(
        client, member.mobile, DEFAULT_PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="1.180.3.4"
    )
    assert locked.status_code == 429
    # The attacker's forged entry sits left of what nginx appended: it changes nothing.
    forged = attempt(
        client,
        member.mobile,
        DEFAULT_PASSWORD,
        "127.0.0.1",
        HTTP_X_FORWARDED_FOR="36.1.1.1, 1.180.3.4",
    )
    assert forged.status_code == 429
    response = attempt(
        client, member.mobile, DEFAULT_PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="36.1.1.1"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_without_a_proxy_a_forged_forwarded_header_does_not_escape_the_lock(client, member):
    for n in range(5):
        attempt(client, member.mobile, "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"36.1.1.{n}")
    response = attempt(
        client, member.mobile, DEFAULT_PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="36.1.1.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- The ceiling per account across addresses --------------------------------------------

PAUSED = (
    "【绒城购】您的账号密码登录失败次数过多，已暂停密码登录15分钟。"
    "如非本人操作，请用短信验证码登录并修改密码。"
)


@pytest.fixture
def ceiling(settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "LOGIN_ACCOUNT_FAILURE_LIMIT": 8}


def notices(member) -> list[str]:
    return list(
        SandboxSms.objects.filter(mobile=member.mobile, template_code="login_paused").values_list(
            "content", flat=True
        )
    )


def test_failures_from_many_addresses_stop_at_the_ceiling(client, member, ceiling, committed):
    """One try from each of ten addresses, far under the lock per address: the account's eighth
    failure pauses password login from everywhere and tells the member, once."""
    statuses = []
    with committed():
        for n in range(10):
            response = attempt(client, member.mobile, "wrong", f"36.1.0.{n}")
            statuses.append(response.status_code)
    assert statuses == [200] * 7 + [429] * 3
    assert notices(member) == [PAUSED]
    with committed():
        response = attempt(client, member.mobile, DEFAULT_PASSWORD, "36.9.9.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert notices(member) == [PAUSED]  # one notice per lock


def test_the_ceiling_is_per_account(client, member, ceiling):
    other = UserFactory(mobile="13911110000")
    for n in range(8):
        attempt(client, member.mobile, "wrong", f"36.1.0.{n}")
    assert attempt(client, other.mobile, DEFAULT_PASSWORD, "36.1.0.0").status_code == 302


def test_the_ceiling_lifts_after_the_cool_off(client, member, ceiling):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(8):
            attempt(client, member.mobile, "wrong", f"36.1.0.{n}")
        assert attempt(client, member.mobile, DEFAULT_PASSWORD, "36.9.9.9").status_code == 429
    # The refused attempt above was a failure too: the cool-off runs from it.
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert attempt(client, member.mobile, DEFAULT_PASSWORD, "36.9.9.9").status_code == 302


def test_below_the_ceiling_only_the_pair_is_locked(client, member, settings):
    assert settings.RONGCHENG["LOGIN_ACCOUNT_FAILURE_LIMIT"] == 20  # the default
    for n in range(19):
        attempt(client, member.mobile, "wrong", f"36.1.0.{n}")
    assert attempt(client, member.mobile, DEFAULT_PASSWORD, "36.9.9.9").status_code == 302
    assert SandboxSms.objects.count() == 0
