from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rongcheng.accounts import privacy
from rongcheng.accounts.errors import AccountClosed, PasswordIncorrect
from rongcheng.accounts.models import Address, ApiToken, ConsentRecord, SmsCode, User
from rongcheng.accounts.privacy import register_exporter, user_close, user_export_data
from rongcheng.accounts.selectors import consent_current
from rongcheng.accounts.services import address_create, consent_set, member_create

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Cashmere#2026"


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def wang(regions):
    """A member with a full profile, two addresses and a consent history, at fixed times."""
    user = member_create(mobile="13812345678", password=PASSWORD, marketing_sms=True)
    consent_set(user=user, purpose=ConsentRecord.Purpose.MARKETING_SMS, granted=False)
    User.objects.filter(pk=user.pk).update(
        username="wang_xr",
        email="wang@example.com",
        real_name="王小绒",
        landline="0477-8888888",
        postcode="017000",
        city=regions["150600"],
        security_question="我的小学叫什么？",
        security_answer="argon2$hash",
        date_joined=_at(1),
    )
    for hour, record in enumerate(ConsentRecord.objects.filter(user=user).order_by("pk")):
        ConsentRecord.objects.filter(pk=record.pk).update(created_at=_at(1, 10 + hour))
    home = address_create(
        user=user,
        recipient="王小绒",
        phone="13812345678",
        province=regions["150000"],
        city=regions["150600"],
        district=regions["150602"],
        detail="鄂尔多斯西街 1 号",
        postcode="017000",
    )
    office = address_create(
        user=user,
        recipient="王大绒",
        phone="13812340000",
        province=regions["110000"],
        city=regions["110100"],
        district=regions["110101"],
        detail="东长安街 1 号",
    )
    Address.objects.filter(pk=home.pk).update(created_at=_at(2))
    Address.objects.filter(pk=office.pk).update(created_at=_at(3))
    user.refresh_from_db()
    return user


def test_export_holds_exactly_the_profile_addresses_consents_and_wallet(wang):
    data = user_export_data(user=wang)
    exported_at = datetime.fromisoformat(data.pop("exported_at"))
    assert exported_at.tzinfo is not None
    assert data == {
        "profile": {
            "username": "wang_xr",
            "mobile": "13812345678",
            "email": "wang@example.com",
            "real_name": "王小绒",
            "landline": "0477-8888888",
            "postcode": "017000",
            "city": {"code": "150600", "name": "鄂尔多斯市"},
            "security_question": "我的小学叫什么？",
            "date_joined": "2026-03-01T10:00:00+08:00",
            "last_login": None,
        },
        "addresses": [
            {
                "recipient": "王小绒",
                "phone": "13812345678",
                "province": "内蒙古自治区",
                "city": "鄂尔多斯市",
                "district": "东胜区",
                "detail": "鄂尔多斯西街 1 号",
                "postcode": "017000",
                "is_default": True,
                "created_at": "2026-03-02T10:00:00+08:00",
            },
            {
                "recipient": "王大绒",
                "phone": "13812340000",
                "province": "北京市",
                "city": "北京市",
                "district": "东城区",
                "detail": "东长安街 1 号",
                "postcode": "",
                "is_default": False,
                "created_at": "2026-03-03T10:00:00+08:00",
            },
        ],
        "consents": [
            {
                "purpose": "terms",
                "purpose_name": "用户协议",
                "granted": True,
                "created_at": "2026-03-01T10:00:00+08:00",
            },
            {
                "purpose": "privacy",
                "purpose_name": "隐私政策",
                "granted": True,
                "created_at": "2026-03-01T11:00:00+08:00",
            },
            {
                "purpose": "marketing_sms",
                "purpose_name": "营销短信",
                "granted": True,
                "created_at": "2026-03-01T12:00:00+08:00",
            },
            {
                "purpose": "marketing_sms",
                "purpose_name": "营销短信",
                "granted": False,
                "created_at": "2026-03-01T13:00:00+08:00",
            },
        ],
        "wallet": {"balance": "0.00", "statement": [], "withdrawals": []},
    }


def test_export_never_contains_the_password_or_security_answer(wang):
    text = str(user_export_data(user=wang))
    assert wang.password not in text and "argon2$hash" not in text


def test_other_apps_contribute_sections_through_the_registry(wang, monkeypatch):
    monkeypatch.setattr(privacy, "_exporters", dict(privacy._exporters))
    register_exporter("favorites", lambda user: [f"favourite of {user.username}"])
    data = user_export_data(user=wang)
    assert list(data) == ["exported_at", "profile", "addresses", "consents", "wallet", "favorites"]
    assert data["favorites"] == ["favourite of wang_xr"]
    with pytest.raises(ValueError):
        register_exporter("profile", lambda user: {})


def test_closure_keeps_the_row_and_consents_but_no_personal_data(wang):
    consent_set(user=wang, purpose=ConsentRecord.Purpose.MARKETING_SMS, granted=True)
    ApiToken.objects.create(user=wang, key_hash="a" * 64, name="iPhone")
    SmsCode.objects.create(
        mobile="13812345678", purpose="login", code_hash="b" * 64, expires_at=timezone.now()
    )
    consents_before = list(ConsentRecord.objects.filter(user=wang).values_list("pk", flat=True))

    user_close(user=wang, password=PASSWORD)

    closed = User.objects.get(pk=wang.pk)
    assert closed.username == f"closed_{wang.pk}"
    assert (closed.mobile, closed.email, closed.city_id) == (None, None, None)
    assert (closed.real_name, closed.landline, closed.postcode) == ("", "", "")
    assert (closed.security_question, closed.security_answer) == ("", "")
    assert closed.has_usable_password() is False
    assert closed.is_active is False and closed.closed_at is not None
    assert Address.objects.filter(user=wang).count() == 0
    assert ApiToken.objects.filter(user=wang).count() == 0
    assert SmsCode.objects.filter(mobile="13812345678").count() == 0
    # Every earlier record stays; the marketing consent ends with a withdrawal on record.
    records = ConsentRecord.objects.filter(user=wang)
    assert set(consents_before) < set(records.values_list("pk", flat=True))
    assert records.count() == len(consents_before) + 1
    assert consent_current(user=closed, purpose=ConsentRecord.Purpose.MARKETING_SMS) is False


def test_after_closure_the_mobile_number_can_register_again(wang):
    user_close(user=wang, password=PASSWORD)
    again = member_create(mobile="13812345678", password=PASSWORD)
    assert again.pk != wang.pk and User.objects.count() == 2


def test_closure_with_a_wrong_password_changes_nothing(wang):
    before = User.objects.filter(pk=wang.pk).values().get()
    with pytest.raises(PasswordIncorrect):
        user_close(user=wang, password="Wrong#Pass2026")
    assert User.objects.filter(pk=wang.pk).values().get() == before
    assert Address.objects.filter(user=wang).count() == 2
    assert ConsentRecord.objects.filter(user=wang).count() == 4


def test_a_closed_account_cannot_be_closed_again(wang):
    user_close(user=wang, password=PASSWORD)
    with pytest.raises(AccountClosed):
        user_close(user=wang, password=PASSWORD)
