"""A member's rights over their personal data (PIPL, LAW-4): download it (art. 45) and close
the account (art. 47).

The export is assembled from sections. Each app that keeps personal data registers one
exporter for its section, usually from its AppConfig.ready():

    register_exporter("orders", orders_export)

An exporter takes the user and returns JSON-ready data (str, int, bool, None, lists, dicts).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import AccountClosed, PasswordIncorrect
from rongcheng.accounts.models import Address, ConsentRecord, SmsCode, User
from rongcheng.accounts.selectors import address_list, consent_current, consent_history
from rongcheng.accounts.services import CLOSED_USERNAME_PREFIX, consent_set
from rongcheng.accounts.tokens import api_token_revoke_all
from rongcheng.core.dates import local_time

Exporter = Callable[[User], Any]

_exporters: dict[str, Exporter] = {}


def register_exporter(section: str, exporter: Exporter) -> None:
    if section in _exporters or section == "exported_at":
        raise ValueError(f"export section {section!r} is already taken")
    _exporters[section] = exporter


def _time(value: datetime | None) -> str | None:
    return local_time(value).isoformat() if value else None


def _profile(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "mobile": user.mobile,
        "email": user.email,
        "real_name": user.real_name,
        "landline": user.landline,
        "postcode": user.postcode,
        "city": {"code": user.city.code, "name": user.city.name} if user.city else None,
        "security_question": user.security_question,
        "date_joined": _time(user.date_joined),
        "last_login": _time(user.last_login),
    }


def _addresses(user: User) -> list[dict[str, Any]]:
    return [
        {
            "recipient": address.recipient,
            "phone": address.phone,
            "province": address.province.name,
            "city": address.city.name,
            "district": address.district.name,
            "detail": address.detail,
            "postcode": address.postcode,
            "is_default": address.is_default,
            "created_at": _time(address.created_at),
        }
        for address in address_list(user=user)
    ]


def _consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "purpose": record.purpose,
            "purpose_name": str(record.get_purpose_display()),
            "granted": record.granted,
            "created_at": _time(record.created_at),
        }
        for record in consent_history(user=user).order_by("created_at", "pk")
    ]


register_exporter("profile", _profile)
register_exporter("addresses", _addresses)
register_exporter("consents", _consents)


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything the platform keeps about the member, one section per registered exporter."""
    data: dict[str, Any] = {"exported_at": _time(timezone.now())}
    for section, exporter in _exporters.items():
        data[section] = exporter(user)
    return data


def user_close(*, user: User, password: str) -> User:
    """Close the account: the row stays so that orders and consent records keep their owner
    (LAW-2), but nothing on it identifies the person any more and it can never log in."""
    if user.closed_at is not None:
        raise AccountClosed(_("该账户已注销。"))
    if not user.check_password(password):
        raise PasswordIncorrect(_("密码不正确，账户未注销。"), field="password")
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        marketing = ConsentRecord.Purpose.MARKETING_SMS
        if consent_current(user=user, purpose=marketing):
            consent_set(user=user, purpose=marketing, granted=False)
        Address.objects.filter(user=user).delete()
        api_token_revoke_all(user=user)
        if user.mobile:
            SmsCode.objects.filter(mobile=user.mobile).delete()
        user.username = f"{CLOSED_USERNAME_PREFIX}{user.pk}"
        user.mobile = None
        user.email = None
        user.real_name = ""
        user.landline = ""
        user.postcode = ""
        user.city = None
        user.security_question = ""
        user.security_answer = ""
        user.set_unusable_password()  # also ends every other session of this user
        user.is_active = False
        user.closed_at = timezone.now()
        user.save()
        return user
