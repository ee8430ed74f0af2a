import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher
from django.core import mail
from django.test import RequestFactory

from rongcheng.accounts.errors import (
    EmailCodeLimited,
    InvalidSmsCode,
    NoVerificationChannel,
    PasswordIncorrect,
    ResetLinkInvalid,
    SecurityAnswerIncorrect,
    SecurityAnswerLimited,
)
from rongcheng.accounts.models import ApiToken, SmsCode
from rongcheng.accounts.passwords import (
    SECURITY_QUESTIONS,
    password_change,
    password_reset_email_send,
    password_reset_with_link,
    password_reset_with_security_answer,
    password_reset_with_sms,
    security_question_for,
    security_question_set,
)
from rongcheng.accounts.tokens import api_token_create
from rongcheng.accounts.verification import email_code_send, email_code_verify, sms_code_send
from rongcheng.core.errors import ApplicationError
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pashmina&2027"
CHANGE = SmsCode.Purpose.CHANGE_PASSWORD
RESET = SmsCode.Purpose.RESET_PASSWORD


@pytest.fixture
def sms_code(committed):
    def sms_code(mobile, purpose):
        with committed():
            sms_code_send(mobile=mobile, purpose=purpose, ip_address="10.0.0.1")
        return last_sms_code(mobile)

    return sms_code


@pytest.fixture
def email_code(committed):
    def email_code(user):
        with committed():
            email_code_send(user=user, purpose=CHANGE)
        return re.search(r"验证码为 (\d{6})", mail.outbox[-1].body).group(1)

    return email_code


def reload(user):
    user.refresh_from_db()
    return user


# --- Change (signed in) ---------------------------------------------------------------------


def test_change_with_sms_code_and_old_password(member, sms_code):
    _token, _key = api_token_create(user=member)
    code = sms_code(member.mobile, CHANGE)
    password_change(
        user=member,
        old_password=DEFAULT_PASSWORD,
        new_password=NEW_PASSWORD,
        code=code,
        channel="sms",
    )
    assert reload(member).check_password(NEW_PASSWORD)
    assert ApiToken.objects.count() == 0  # other devices sign in again


def test_change_with_wrong_old_password_changes_nothing(member, sms_code):
    code = sms_code(member.mobile, CHANGE)
    with pytest.raises(PasswordIncorrect):
        password_change(
            user=member, old_password="wrong", new_password=NEW_PASSWORD, code=code, channel="sms"
        )
    assert reload(member).check_password(DEFAULT_PASSWORD)
    with pytest.raises(InvalidSmsCode):  # each try at the old password costs a code
        password_change(
            user=member,
            old_password=DEFAULT_PASSWORD,
            new_password=NEW_PASSWORD,
            code=code,
            channel="sms",
        )


def test_change_with_wrong_code_changes_nothing(member, sms_code):
    sms_code(member.mobile, CHANGE)
    with pytest.raises(InvalidSmsCode):
        password_change(
            user=member,
            old_password=DEFAULT_PASSWORD,
            new_password=NEW_PASSWORD,
            code="999999x",
            channel="sms",
        )
    assert reload(member).check_password(DEFAULT_PASSWORD)


def test_change_with_emailed_code(sms_code, email_code):
    user = UserFactory(email="wang@example.com")
    code = email_code(user)
    assert mail.outbox[-1].to == ["wang@example.com"]
    assert mail.outbox[-1].subject == "【绒城购】邮箱验证码"
    password_change(
        user=user,
        old_password=DEFAULT_PASSWORD,
        new_password=NEW_PASSWORD,
        code=code,
        channel="email",
    )
    assert reload(user).check_password(NEW_PASSWORD)
    with pytest.raises(InvalidSmsCode):
        email_code_verify(user=user, purpose=CHANGE, code=code)  # used up


def test_emailed_code_limits(email_code):
    user = UserFactory(email="wang@example.com")
    code = email_code(user)
    with pytest.raises(EmailCodeLimited, match="请 60 秒后再试"):
        email_code_send(user=user, purpose=CHANGE)
    assert len(mail.outbox) == 1
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(InvalidSmsCode):
            email_code_verify(user=user, purpose=CHANGE, code=wrong)
    with pytest.raises(InvalidSmsCode):
        email_code_verify(user=user, purpose=CHANGE, code=code)


def test_email_channel_needs_an_email(member):
    with pytest.raises(NoVerificationChannel):
        email_code_send(user=member, purpose=CHANGE)
    assert mail.outbox == []


# --- Recover by SMS -------------------------------------------------------------------------


def test_reset_by_sms_code(member, sms_code):
    api_token_create(user=member)
    password_reset_with_sms(
        mobile=member.mobile, code=sms_code(member.mobile, RESET), new_password=NEW_PASSWORD
    )
    assert reload(member).check_password(NEW_PASSWORD)
    assert ApiToken.objects.count() == 0


def test_reset_by_sms_for_unknown_number_cannot_succeed(sms_code):
    assert sms_code("13811112222", RESET) is None
    with pytest.raises(InvalidSmsCode):
        password_reset_with_sms(mobile="13811112222", code="123456", new_password=NEW_PASSWORD)


def test_reset_lifts_the_login_lockout(member, sms_code):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        assert authenticate(request, username=member.mobile, password="wrong") is None
    assert authenticate(request, username=member.mobile, password=DEFAULT_PASSWORD) is None
    password_reset_with_sms(
        mobile=member.mobile, code=sms_code(member.mobile, RESET), new_password=NEW_PASSWORD
    )
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.0.0.9")
    assert authenticate(request, username=member.mobile, password=NEW_PASSWORD) == member


# --- Recover by e-mailed link ---------------------------------------------------------------


def _send_link(committed, email):
    with committed():
        password_reset_email_send(
            email=email, link_for=lambda uidb64, token: f"https://mall.example/r/{uidb64}/{token}/"
        )


def test_reset_by_emailed_link(committed):
    user = UserFactory(email="wang@example.com", real_name="王小绒")
    _send_link(committed, "WANG@example.com")
    (message,) = mail.outbox
    assert message.to == ["wang@example.com"]
    assert message.subject == "【绒城购】重置登录密码"
    assert "您好，王小绒" in message.body and "2 小时内" in message.body
    uidb64, token = re.search(r"https://mall\.example/r/([^/]+)/([^/]+)/", message.body).groups()

    password_reset_with_link(uidb64=uidb64, token=token, new_password=NEW_PASSWORD)
    assert reload(user).check_password(NEW_PASSWORD)
    with pytest.raises(ResetLinkInvalid):  # the link works once
        password_reset_with_link(uidb64=uidb64, token=token, new_password="Another#Pass1")


def test_reset_link_for_unknown_email_sends_nothing(committed):
    _send_link(committed, "nobody@example.com")
    assert mail.outbox == []


def test_reset_links_are_limited_to_one_a_minute(committed):
    UserFactory(email="wang@example.com")
    _send_link(committed, "wang@example.com")
    _send_link(committed, "wang@example.com")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("uidb64", "token"), [("MQ", "bad-token"), ("!!", "x"), ("OTk5OTk", "x")])
def test_forged_reset_link_is_refused(member, uidb64, token):
    with pytest.raises(ResetLinkInvalid, match="重置链接无效或已过期"):
        password_reset_with_link(uidb64=uidb64, token=token, new_password=NEW_PASSWORD)
    assert reload(member).check_password(DEFAULT_PASSWORD)


# --- Recover by security question -----------------------------------------------------------


def test_security_question_is_stored_with_a_hashed_answer(member):
    security_question_set(
        user=member, password=DEFAULT_PASSWORD, question=SECURITY_QUESTIONS[0], answer="Zhang Mei"
    )
    member.refresh_from_db()
    assert member.security_question == "您母亲的姓名是？"
    assert identify_hasher(member.security_answer).algorithm == get_hasher().algorithm
    assert "zhang" not in member.security_answer.lower()
    assert check_password("zhangmei", member.security_answer)


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"password": "wrong"}, "password_incorrect"),
        ({"question": "我的问题？"}, "security_question_invalid"),
        ({"answer": " a "}, "security_answer_too_short"),
    ],
)
def test_refused_security_question_changes_nothing(member, arguments, code):
    with pytest.raises(ApplicationError) as refused:
        security_question_set(
            user=member,
            **(
                {"password": DEFAULT_PASSWORD, "question": SECURITY_QUESTIONS[0], "answer": "张梅"}
                | arguments
            ),
        )
    assert refused.value.code == code
    member.refresh_from_db()
    assert member.security_question == "" and member.security_answer == ""


@pytest.fixture
def with_question(member):
    security_question_set(
        user=member, password=DEFAULT_PASSWORD, question=SECURITY_QUESTIONS[2], answer="Ordos City"
    )
    return member


@pytest.mark.parametrize("by", ["mobile", "username"])
def test_reset_by_security_answer_ignores_case_and_spaces(with_question, by):
    identifier = with_question.mobile if by == "mobile" else with_question.username.upper()
    assert security_question_for(identifier=identifier) == "您的出生地是？"
    password_reset_with_security_answer(
        identifier=identifier, answer="  ordos   CITY ", new_password=NEW_PASSWORD
    )
    assert reload(with_question).check_password(NEW_PASSWORD)


def test_five_wrong_answers_pause_recovery(with_question):
    for _ in range(5):
        with pytest.raises(SecurityAnswerIncorrect):
            password_reset_with_security_answer(
                identifier=with_question.mobile, answer="Beijing", new_password=NEW_PASSWORD
            )
    with pytest.raises(SecurityAnswerLimited, match="请 60 分钟后再试"):
        password_reset_with_security_answer(
            identifier=with_question.username, answer="Ordos City", new_password=NEW_PASSWORD
        )
    assert reload(with_question).check_password(DEFAULT_PASSWORD)


def test_unknown_account_gets_a_stable_stand_in_question(member):
    question = security_question_for(identifier="nobody")
    assert question in SECURITY_QUESTIONS
    assert security_question_for(identifier=" NOBODY ") == question
    assert security_question_for(identifier=member.mobile) in SECURITY_QUESTIONS  # none set
    with pytest.raises(SecurityAnswerIncorrect, match="密保答案不正确"):
        password_reset_with_security_answer(
            identifier="nobody", answer="anything", new_password=NEW_PASSWORD
        )
