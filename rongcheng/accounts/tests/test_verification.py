import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from rongcheng.accounts.errors import InvalidSmsCode, MobileInvalid, SmsLimited
from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.verification import (
    humanize_wait,
    sms_code_send,
    sms_code_verify,
    sms_codes_purge_expired,
)
from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db

REGISTER = SmsCode.Purpose.REGISTER
RESET = SmsCode.Purpose.RESET_PASSWORD
LOGIN = SmsCode.Purpose.LOGIN
NEW = "13811112222"
IP = "10.1.2.3"


@pytest.fixture
def send(committed):
    def send(mobile=NEW, purpose=REGISTER, ip_address=IP):
        with committed():
            sms_code_send(mobile=mobile, purpose=purpose, ip_address=ip_address)
        return last_sms_code(mobile)

    return send


def age(seconds: int) -> None:
    """Move every code back in time, as if `seconds` had passed."""
    delta = timedelta(seconds=seconds)
    SmsCode.objects.update(created_at=F("created_at") - delta, expires_at=F("expires_at") - delta)


def test_code_is_texted_and_only_its_hash_is_stored(send):
    code = send()
    assert re.fullmatch(r"\d{6}", code)
    sms = SandboxSms.objects.get(mobile=NEW)
    assert sms.content == f"【绒城购】您的验证码为{code}，10分钟内有效。请勿泄露给他人。"
    row = SmsCode.objects.get()
    assert row.purpose == REGISTER and row.ip_address == IP and row.guesses == 0
    assert len(row.code_hash) == 64 and code not in row.code_hash
    assert row.expires_at - row.created_at == timedelta(minutes=10)


def test_code_works_once(send):
    code = send()
    sms_code_verify(mobile=NEW, purpose=REGISTER, code=code)
    assert SmsCode.objects.get().used_at is not None
    with pytest.raises(InvalidSmsCode, match="验证码错误或已失效"):
        sms_code_verify(mobile=NEW, purpose=REGISTER, code=code)


def test_code_is_bound_to_its_purpose(send):
    code = send(purpose=REGISTER)
    with pytest.raises(InvalidSmsCode):
        sms_code_verify(mobile=NEW, purpose=LOGIN, code=code)
    sms_code_verify(mobile=NEW, purpose=REGISTER, code=code)


def test_expired_code_is_refused(send):
    code = send()
    age(10 * 60)
    with pytest.raises(InvalidSmsCode):
        sms_code_verify(mobile=NEW, purpose=REGISTER, code=code)
    assert SmsCode.objects.get().used_at is None


def test_five_wrong_guesses_kill_the_code(send):
    code = send()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(InvalidSmsCode):
            sms_code_verify(mobile=NEW, purpose=REGISTER, code=wrong)
    assert SmsCode.objects.get().guesses == 5
    with pytest.raises(InvalidSmsCode):
        sms_code_verify(mobile=NEW, purpose=REGISTER, code=code)
    assert SmsCode.objects.get().used_at is None


def test_four_wrong_guesses_leave_the_code_usable(send):
    code = send()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        with pytest.raises(InvalidSmsCode):
            sms_code_verify(mobile=NEW, purpose=REGISTER, code=wrong)
    sms_code_verify(mobile=NEW, purpose=REGISTER, code=code)


def test_only_the_newest_code_counts(send):
    first = send()
    age(61)
    second = send()
    if first != second:
        with pytest.raises(InvalidSmsCode):
            sms_code_verify(mobile=NEW, purpose=REGISTER, code=first)
    sms_code_verify(mobile=NEW, purpose=REGISTER, code=second)


def test_one_code_a_minute_per_number(send):
    send()
    age(30)
    with pytest.raises(SmsLimited, match=r"^获取验证码过于频繁，请 30 秒后再试。$"):
        send(ip_address="10.9.9.9")
    assert SmsCode.objects.count() == 1 and SandboxSms.objects.count() == 1
    age(30)
    send()
    assert SandboxSms.objects.count() == 2


def test_five_codes_an_hour_per_number(send):
    for _ in range(5):
        send()
        age(61)
    with pytest.raises(SmsLimited, match=r"请 55 分钟后再试"):
        send()
    assert SmsCode.objects.count() == 5
    age(3600 - 5 * 61)
    send()
    assert SmsCode.objects.count() == 6


def test_ten_codes_a_day_per_number(send):
    for _ in range(10):
        send()
        age(13 * 60)
    with pytest.raises(SmsLimited, match=r"请 22 小时后再试"):
        send()
    assert SmsCode.objects.count() == 10


def test_each_purpose_of_a_number_has_its_own_budget(send, member):
    """Whoever uses up a member's recovery codes cannot keep the member from logging in."""
    for n in range(10):
        send(mobile=member.mobile, purpose=RESET, ip_address=f"10.8.0.{n}")
        age(13 * 60)
    with pytest.raises(SmsLimited, match=r"请 22 小时后再试"):
        send(mobile=member.mobile, purpose=RESET, ip_address="10.8.1.1")
    assert SmsCode.objects.filter(purpose=RESET).count() == 10
    code = send(mobile=member.mobile, purpose=LOGIN, ip_address="10.8.1.1")
    sms_code_verify(mobile=member.mobile, purpose=LOGIN, code=code)
    with pytest.raises(SmsLimited, match=r"请 60 秒后再试"):  # and login codes count on their own
        send(mobile=member.mobile, purpose=LOGIN, ip_address="10.8.1.2")


def test_ten_codes_an_hour_per_ip(send):
    for n in range(10):
        send(mobile=f"1390000{n:04d}")
    with pytest.raises(SmsLimited, match=r"请 60 分钟后再试"):
        send(mobile="13900000099")
    assert SmsCode.objects.count() == 10
    send(mobile="13900000099", ip_address="10.4.4.4")  # another address is not limited
    assert SmsCode.objects.count() == 11


def test_thirty_codes_a_day_per_ip(send):
    for n in range(30):
        send(mobile=f"1390000{n:04d}")
        if n % 10 == 9:
            age(3601)
    with pytest.raises(SmsLimited, match=r"请 21 小时后再试"):
        send(mobile="13900000099")


def test_invalid_mobile_is_refused_and_writes_nothing(send):
    with pytest.raises(MobileInvalid):
        send(mobile="1234")
    assert SmsCode.objects.count() == 0


def test_login_and_reset_codes_only_reach_members(send, member):
    assert send(mobile=NEW, purpose=RESET) is None
    assert send(mobile="13822223333", purpose=LOGIN) is None
    assert SandboxSms.objects.count() == 0
    # Each request is still recorded (with no usable code), so limits behave the same.
    assert SmsCode.objects.filter(code_hash="").count() == 2
    assert send(mobile=member.mobile, purpose=RESET) is not None


def test_unknown_number_behaves_like_a_member_number(send, member):
    """Same limits and the same refusal of guesses: nothing tells the two apart."""
    for mobile in (NEW, member.mobile):
        send(mobile=mobile, purpose=RESET, ip_address=None)
        with pytest.raises(SmsLimited, match="请 60 秒后再试"):
            send(mobile=mobile, purpose=RESET, ip_address=None)
        with pytest.raises(InvalidSmsCode, match="验证码错误或已失效"):
            sms_code_verify(mobile=mobile, purpose=RESET, code="123456")


def test_registration_code_goes_to_registered_numbers_too(send, member):
    """Only the number's owner, who reads the code, learns that it is registered."""
    assert send(mobile=member.mobile, purpose=REGISTER) is not None


def test_purge_deletes_only_codes_outside_every_limit_window(send, django_assert_num_queries):
    now = timezone.now()
    for mobile, created in [
        ("13800000001", now - timedelta(days=2)),
        ("13800000002", now - timedelta(hours=2)),
        ("13800000003", now),
    ]:
        SmsCode.objects.create(
            mobile=mobile,
            purpose=REGISTER,
            code_hash="x" * 64,
            created_at=created,
            expires_at=created + timedelta(minutes=10),
        )
    with django_assert_num_queries(1):
        assert sms_codes_purge_expired() == 1
    assert sorted(SmsCode.objects.values_list("mobile", flat=True)) == [
        "13800000002",
        "13800000003",
    ]
    assert sms_codes_purge_expired() == 0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "1 秒"),
        (60, "60 秒"),
        (119, "119 秒"),
        (119.5, "2 分钟"),
        (121, "3 分钟"),
        (7200, "2 小时"),
    ],
)
def test_humanize_wait(seconds, text):
    assert humanize_wait(seconds) == text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_number_issue_one_code():
    results = []
    start = threading.Barrier(6)

    def request_code():
        start.wait()
        try:
            sms_code_send(mobile=NEW, purpose=REGISTER, ip_address=None)
            results.append("sent")
        except SmsLimited:
            results.append("limited")
        finally:
            connection.close()

    threads = [threading.Thread(target=request_code) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["limited"] * 5 + ["sent"]
    assert SmsCode.objects.filter(mobile=NEW).count() == 1
