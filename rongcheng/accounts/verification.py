"""One-time verification codes sent by SMS (stored as SmsCode rows) or by e-mail (cached).

Only an HMAC of each code is kept. A code lives SMS_CODE_TTL, works once, and dies after
SMS_CODE_MAX_GUESSES wrong guesses; only the newest code of a number and purpose counts.
SMS_PHONE_LIMITS apply to each number and purpose apart, SMS_IP_LIMITS to each client address.
"""

import hashlib
import hmac
import math
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rongcheng.accounts.errors import (
    EmailCodeLimited,
    InvalidSmsCode,
    MobileInvalid,
    NoVerificationChannel,
    SmsLimited,
)
from rongcheng.accounts.models import SmsCode, User
from rongcheng.notifications.services import email_send, sms_send
from rongcheng.notifications.sms.base import VERIFICATION_CODE

MOBILE_PATTERN = r"^1[3-9]\d{9}$"

# Codes for these purposes only go to numbers of active members. Any other number still gets a
# row, without a usable code, so limits and answers are the same whether or not it is a member.
MEMBER_ONLY_PURPOSES = frozenset(
    {
        SmsCode.Purpose.LOGIN,
        SmsCode.Purpose.RESET_PASSWORD,
        SmsCode.Purpose.CHANGE_PASSWORD,
        SmsCode.Purpose.PAYMENT_PASSWORD,
    }
)


def _rules() -> dict:
    return settings.RONGCHENG


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _code_hash(*, address: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{address}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _ttl_minutes() -> int:
    return int(_rules()["SMS_CODE_TTL"].total_seconds() // 60)


def humanize_wait(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return ngettext("%(n)d 秒", "%(n)d 秒", seconds) % {"n": seconds}
    if seconds < 2 * 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(n)d 分钟", "%(n)d 分钟", minutes) % {"n": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours}


def _advisory_lock(key: str) -> None:
    """Serialise sends per number and per IP on PostgreSQL until the transaction ends.

    SQLite needs nothing: its write transactions begin IMMEDIATE and so already run one at a time.
    """
    if connection.vendor == "postgresql":
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, signed=True)]
            )


def _wait_for(
    queryset: QuerySet[SmsCode], limits: list[tuple[int, timedelta]], now: datetime
) -> float:
    """Seconds until one more code is allowed under every (count, window) limit; 0 if now."""
    most = max(count for count, _window in limits)
    longest = max(window for _count, window in limits)
    recent = list(
        queryset.filter(created_at__gt=now - longest)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:most]
    )
    wait = 0.0
    for count, window in limits:
        in_window = [at for at in recent if at > now - window]
        if len(in_window) >= count:
            wait = max(wait, (in_window[count - 1] + window - now).total_seconds())
    return wait


def validate_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not re.fullmatch(MOBILE_PATTERN, mobile):
        raise MobileInvalid(_("请输入 11 位中国大陆手机号。"), field="mobile")
    return mobile


def sms_code_send(*, mobile: str, purpose: str, ip_address: str | None = None) -> SmsCode:
    """Issue a code for `purpose` to `mobile` and text it after commit, within the limits."""
    mobile = validate_mobile(mobile)
    purpose = SmsCode.Purpose(purpose)
    with transaction.atomic():
        _advisory_lock(f"sms-code:mobile:{mobile}")
        if ip_address:
            _advisory_lock(f"sms-code:ip:{ip_address}")
        now = timezone.now()
        # Each purpose has its own budget: codes asked for one purpose (by anyone) must not use
        # up the member's codes for another, such as logging in.
        wait = _wait_for(
            SmsCode.objects.filter(mobile=mobile, purpose=purpose),
            _rules()["SMS_PHONE_LIMITS"],
            now,
        )
        if ip_address:
            wait = max(
                wait,
                _wait_for(
                    SmsCode.objects.filter(ip_address=ip_address), _rules()["SMS_IP_LIMITS"], now
                ),
            )
        if wait:
            raise SmsLimited(
                _("获取验证码过于频繁，请 %(wait)s后再试。") % {"wait": humanize_wait(wait)}
            )
        deliver = (
            purpose not in MEMBER_ONLY_PURPOSES
            or User.objects.filter(mobile=mobile, is_active=True).exists()
        )
        code = _new_code()
        row = SmsCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_code_hash(address=mobile, purpose=purpose, code=code) if deliver else "",
            ip_address=ip_address,
            created_at=now,
            expires_at=now + _rules()["SMS_CODE_TTL"],
        )
        if deliver:
            sms_send(
                mobile=mobile,
                template_code=VERIFICATION_CODE,
                params={"code": code, "minutes": str(_ttl_minutes())},
            )
        return row


def sms_code_verify(*, mobile: str, purpose: str, code: str) -> None:
    """Use up the newest live code of this number and purpose, or raise InvalidSmsCode.

    Runs in its own durable transaction so that a wrong guess stays counted even when the
    caller's next step fails: call it before opening the caller's transaction.
    """
    purpose = SmsCode.Purpose(purpose)
    mobile = (mobile or "").strip()
    guess = (code or "").strip()
    accepted = False
    with transaction.atomic(durable=True):
        row = (
            SmsCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        now = timezone.now()
        if (
            row is not None
            and row.used_at is None
            and row.expires_at > now
            and row.guesses < _rules()["SMS_CODE_MAX_GUESSES"]
        ):
            expected = _code_hash(address=mobile, purpose=purpose, code=guess)
            if row.code_hash and hmac.compare_digest(row.code_hash, expected):
                SmsCode.objects.filter(pk=row.pk).update(used_at=now)
                accepted = True
            else:
                SmsCode.objects.filter(pk=row.pk).update(guesses=F("guesses") + 1)
    if not accepted:
        raise InvalidSmsCode(_("验证码错误或已失效，请重新获取。"), field="sms_code")


def sms_codes_purge_expired(*, now: datetime | None = None) -> int:
    """Delete codes that are expired and older than the longest limit window (set-based).

    Rows inside a limit window are kept even when expired: the limits count them.
    """
    rules = _rules()
    keep = max(window for _count, window in [*rules["SMS_PHONE_LIMITS"], *rules["SMS_IP_LIMITS"]])
    # expires_at ≥ created_at, so this also means created before the window (and uses its index).
    deleted, _by_model = SmsCode.objects.filter(
        expires_at__lt=(now or timezone.now()) - keep
    ).delete()
    return deleted


def _email_keys(user: User, purpose: str) -> tuple[str, str, str]:
    base = f"email-code:{purpose}:{user.pk}"
    return base, f"{base}:guesses", f"{base}:throttle"


def email_code_send(*, user: User, purpose: str) -> None:
    """E-mail a code to the member's own address (identity check for changing the password)."""
    purpose = SmsCode.Purpose(purpose)
    if not user.email:
        raise NoVerificationChannel(_("您还没有填写邮箱，请改用短信验证。"))
    key, guesses_key, throttle_key = _email_keys(user, purpose)
    interval = int(_rules()["EMAIL_CODE_INTERVAL"].total_seconds())
    if not cache.add(throttle_key, 1, timeout=interval):
        raise EmailCodeLimited(
            _("获取验证码过于频繁，请 %(wait)s后再试。") % {"wait": humanize_wait(interval)}
        )
    code = _new_code()
    ttl = int(_rules()["SMS_CODE_TTL"].total_seconds())
    cache.set(key, _code_hash(address=user.email, purpose=purpose, code=code), timeout=ttl)
    cache.delete(guesses_key)
    email_send(
        to=user.email,
        subject=_("【绒城购】邮箱验证码"),
        body=_(
            "您好，\n\n您正在%(purpose)s，验证码为 %(code)s，%(minutes)d 分钟内有效。"
            "请勿泄露给他人。\n如非本人操作，请忽略本邮件。\n\n绒城购"
        )
        % {"purpose": purpose.label, "code": code, "minutes": _ttl_minutes()},
    )


def email_code_verify(*, user: User, purpose: str, code: str) -> None:
    purpose = SmsCode.Purpose(purpose)
    key, guesses_key, _throttle = _email_keys(user, purpose)
    stored = cache.get(key)
    accepted = False
    if stored and user.email:
        cache.add(guesses_key, 0, timeout=int(_rules()["SMS_CODE_TTL"].total_seconds()))
        attempt = cache.incr(guesses_key)
        expected = _code_hash(address=user.email, purpose=purpose, code=(code or "").strip())
        # Attempt n may only succeed while fewer than the allowed wrong guesses came before it.
        # cache.delete answers False when a concurrent attempt already used the code.
        if attempt <= _rules()["SMS_CODE_MAX_GUESSES"] and hmac.compare_digest(stored, expected):
            accepted = bool(cache.delete(key))
            cache.delete(guesses_key)
    if not accepted:
        raise InvalidSmsCode(_("验证码错误或已失效，请重新获取。"), field="sms_code")


def resend_interval() -> int:
    """Seconds before the same number may ask again: the shortest per-number window."""
    return int(min(window for _count, window in _rules()["SMS_PHONE_LIMITS"]).total_seconds())


def member_sms_login(*, mobile: str, code: str) -> User:
    """The member who proved this mobile number with a login code."""
    sms_code_verify(mobile=mobile, purpose=SmsCode.Purpose.LOGIN, code=code)
    user = User.objects.filter(mobile=mobile.strip(), is_active=True).first()
    if user is None:  # closed since the code was sent: codes never go to unknown numbers
        raise InvalidSmsCode(_("验证码错误或已失效，请重新获取。"), field="sms_code")
    return user


def sms_code_sent_message(purpose: str) -> str:
    """What the sender is told. Login and recovery codes only go to members' numbers, so the
    message says so, identically for every number."""
    if purpose in (SmsCode.Purpose.LOGIN, SmsCode.Purpose.RESET_PASSWORD):
        return _("如该手机号已注册，您将收到一条验证码短信，%(minutes)d 分钟内有效。") % {
            "minutes": _ttl_minutes()
        }
    return _("验证码已发送，请注意查收短信，%(minutes)d 分钟内有效。") % {"minutes": _ttl_minutes()}
