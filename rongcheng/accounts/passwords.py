"""Changing and recovering passwords (MEM-3).

Change: a code to the member's mobile or e-mail, then the old password. Recover: an SMS code,
an e-mailed reset link, or the security question. Every new password revokes the member's
API tokens and lifts login lockouts on their account names.
"""

import hashlib
import hmac
from collections.abc import Callable
from typing import Literal

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from rongcheng.accounts.errors import (
    InvalidSmsCode,
    NoVerificationChannel,
    PasswordIncorrect,
    PasswordInvalid,
    ResetLinkInvalid,
    SecurityAnswerIncorrect,
    SecurityAnswerLimited,
)
from rongcheng.accounts.models import SmsCode, User
from rongcheng.accounts.verification import email_code_verify, humanize_wait, sms_code_verify
from rongcheng.core.errors import ApplicationError
from rongcheng.notifications.services import email_send

# Members pick one of these; the stored text is the Chinese source, shown through gettext.
SECURITY_QUESTIONS = (
    N_("您母亲的姓名是？"),
    N_("您父亲的姓名是？"),
    N_("您的出生地是？"),
    N_("您小学班主任的姓名是？"),
    N_("您的第一只宠物叫什么名字？"),
    N_("您最喜欢的一本书是？"),
)
MIN_ANSWER_LENGTH = 2


def validate_new_password(password: str, *, user: User | None = None, field: str = "") -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise PasswordInvalid(" ".join(error.messages), field=field) from error


def member_by_identifier(identifier: str) -> User | None:
    """The active member whose username, mobile or e-mail this is (as the login backend)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return (
        User.objects.filter(
            Q(username__iexact=identifier) | Q(mobile=identifier) | Q(email__iexact=identifier),
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


def _password_set(user: User, new_password: str) -> User:
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])  # revokes the API tokens (User.save)
    axes_reset(username=user.username)  # lockouts count under the username (lockout.py)
    return user


def password_change(
    *,
    user: User,
    old_password: str,
    new_password: str,
    code: str,
    channel: Literal["sms", "email"],
) -> User:
    """Change a signed-in member's password: the code first, then the old password.

    The code comes first so that each try at the old password costs a fresh code.
    """
    validate_new_password(new_password, user=user, field="new_password1")
    purpose = SmsCode.Purpose.CHANGE_PASSWORD
    if channel == "email":
        email_code_verify(user=user, purpose=purpose, code=code)
    elif user.mobile:
        sms_code_verify(mobile=user.mobile, purpose=purpose, code=code)
    else:
        raise NoVerificationChannel(_("您还没有绑定手机号，请改用邮箱验证。"))
    if not user.check_password(old_password):
        raise PasswordIncorrect(_("当前密码不正确，请重新获取验证码后再试。"), field="old_password")
    return _password_set(user, new_password)


def password_reset_with_sms(*, mobile: str, code: str, new_password: str) -> User:
    validate_new_password(new_password, field="new_password1")
    sms_code_verify(mobile=mobile, purpose=SmsCode.Purpose.RESET_PASSWORD, code=code)
    user = User.objects.filter(mobile=mobile.strip(), is_active=True).first()
    if user is None:  # closed since the code was sent: codes never go to unknown numbers
        raise InvalidSmsCode(_("验证码错误或已失效，请重新获取。"), field="sms_code")
    validate_new_password(new_password, user=user, field="new_password1")
    return _password_set(user, new_password)


def password_reset_email_send(*, email: str, link_for: Callable[[str, str], str]) -> None:
    """E-mail a reset link when the address belongs to a member; answer the same either way.

    `link_for(uidb64, token)` builds the absolute link (the caller knows its URLs).
    """
    email = (email or "").strip()
    interval = int(settings.RONGCHENG["EMAIL_CODE_INTERVAL"].total_seconds())
    address_key = hashlib.sha256(email.casefold().encode()).hexdigest()
    if not email or not cache.add(f"password-reset-mail:{address_key}", 1, timeout=interval):
        return  # one mail a minute per address, silently: the answer must not differ
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not user.email:
        return
    link = link_for(
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    )
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    email_send(
        to=user.email,
        subject=_("【绒城购】重置登录密码"),
        body=_(
            "您好，%(name)s：\n\n请在 %(hours)d 小时内打开下面的链接设置新密码：\n%(link)s\n\n"
            "链接只能使用一次。如非本人操作，请忽略本邮件，您的密码不会改变。\n\n绒城购"
        )
        % {"name": user.display_name, "hours": hours, "link": link},
    )


def password_reset_link_user(*, uidb64: str, token: str) -> User:
    """The member a reset link is for, or ResetLinkInvalid when it is wrong, used or expired."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        pk = None
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        raise ResetLinkInvalid(_("重置链接无效或已过期，请重新申请。"))
    return user


def password_reset_with_link(*, uidb64: str, token: str, new_password: str) -> User:
    user = password_reset_link_user(uidb64=uidb64, token=token)
    validate_new_password(new_password, user=user, field="new_password1")
    return _password_set(user, new_password)  # the new password hash voids the link


def normalize_answer(answer: str) -> str:
    """Answers compare without regard to case or spaces: "Zhang San" matches "zhangsan"."""
    return "".join((answer or "").split()).casefold()


def security_question_set(*, user: User, password: str, question: str, answer: str) -> User:
    if question not in SECURITY_QUESTIONS:
        raise ApplicationError(_("请选择一个密保问题。"), code="security_question_invalid")
    normalized = normalize_answer(answer)
    if len(normalized) < MIN_ANSWER_LENGTH:
        raise ApplicationError(
            _("答案至少 %(n)d 个字。") % {"n": MIN_ANSWER_LENGTH},
            code="security_answer_too_short",
            field="answer",
        )
    if not user.check_password(password):
        raise PasswordIncorrect(_("登录密码不正确。"), field="password")
    with transaction.atomic():
        user.security_question = question
        user.security_answer = make_password(normalized)
        user.save(update_fields=["security_question", "security_answer"])
    return user


def security_question_for(*, identifier: str) -> str:
    """The member's question; for unknown accounts a stable stand-in, so nothing is revealed."""
    user = member_by_identifier(identifier)
    if user is not None and user.security_question and user.security_answer:
        return user.security_question
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"security-question:{(identifier or '').strip().casefold()}".encode(),
        hashlib.sha256,
    ).digest()
    return SECURITY_QUESTIONS[int.from_bytes(digest[:4]) % len(SECURITY_QUESTIONS)]


def password_reset_with_security_answer(*, identifier: str, answer: str, new_password: str) -> User:
    validate_new_password(new_password, field="new_password1")
    user = member_by_identifier(identifier)
    limit, window = settings.RONGCHENG["SECURITY_ANSWER_LIMIT"]
    subject = f"user:{user.pk}" if user else f"name:{(identifier or '').strip().casefold()}"
    failures_key = "security-answer-failures:" + hashlib.sha256(subject.encode()).hexdigest()
    if cache.get(failures_key, 0) >= limit:
        raise SecurityAnswerLimited(
            _("密保答案错误次数过多，请 %(wait)s后再试，或改用短信验证码找回密码。")
            % {"wait": humanize_wait(window.total_seconds())}
        )
    stored = user.security_answer if user and user.security_question else ""
    # check_password runs the hasher even with nothing stored: unknown accounts take as long.
    correct = check_password(normalize_answer(answer), stored)
    if user is None or not correct:
        cache.add(failures_key, 0, timeout=int(window.total_seconds()))
        cache.incr(failures_key)
        raise SecurityAnswerIncorrect(_("密保答案不正确。"), field="answer")
    validate_new_password(new_password, user=user, field="new_password1")
    return _password_set(user, new_password)
