import pytest

from rongcheng.accounts.errors import (
    ConsentRequired,
    IdentifierTaken,
    InvalidSmsCode,
    PasswordInvalid,
)
from rongcheng.accounts.models import ConsentRecord, SmsCode, User
from rongcheng.accounts.services import member_register
from rongcheng.accounts.verification import sms_code_send
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db

MOBILE = "13811112222"
PASSWORD = "Cashmere#2026"


@pytest.fixture
def code(committed):
    with committed():
        sms_code_send(mobile=MOBILE, purpose=SmsCode.Purpose.REGISTER, ip_address="10.0.0.1")
    return last_sms_code(MOBILE)


def register(**overrides):
    arguments = {
        "mobile": MOBILE,
        "password": PASSWORD,
        "terms_accepted": True,
        "privacy_accepted": True,
    } | overrides
    return member_register(**arguments)


def test_register_with_the_texted_code(code):
    user = register(sms_code=code, marketing_sms=True)
    assert user.mobile == MOBILE and user.check_password(PASSWORD)
    assert user.username.startswith("rc") and len(user.username) == 10
    assert dict(user.consents.values_list("purpose", "granted")) == {
        "terms": True,
        "privacy": True,
        "marketing_sms": True,
    }
    assert SmsCode.objects.get().used_at is not None


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"sms_code": "000000x"}, InvalidSmsCode),
        ({"terms_accepted": False}, ConsentRequired),
        ({"privacy_accepted": False}, ConsentRequired),
        ({"password": "12345678"}, PasswordInvalid),
    ],
)
def test_refused_registration_writes_nothing(code, overrides, error):
    with pytest.raises(error):
        register(**({"sms_code": code} | overrides))
    assert User.objects.count() == 0 and ConsentRecord.objects.count() == 0


def test_code_of_another_number_does_not_register(code):
    with pytest.raises(InvalidSmsCode):
        register(mobile="13899998888", sms_code=code)
    assert User.objects.count() == 0


def test_a_registered_number_is_told_after_proving_it(member, committed):
    with committed():
        sms_code_send(mobile=member.mobile, purpose=SmsCode.Purpose.REGISTER)
    with pytest.raises(IdentifierTaken, match="该手机号已注册"):
        register(mobile=member.mobile, sms_code=last_sms_code(member.mobile))
    assert User.objects.count() == 1
