"""Writes to members, their profiles and address books."""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import (
    AddressInvalid,
    ConsentRequired,
    IdentifierTaken,
    IdentityIncomplete,
)
from rongcheng.accounts.models import Address, ConsentRecord, SmsCode, User
from rongcheng.accounts.passwords import validate_new_password
from rongcheng.accounts.verification import sms_code_verify, validate_mobile
from rongcheng.regions.models import Region

USERNAME_PREFIX = "rc"


def generate_username() -> str:
    """A system username (MEM-2) such as rc58213907; the member may change it later."""
    while True:
        candidate = f"{USERNAME_PREFIX}{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username=candidate).exists():
            return candidate


def user_create(
    *, password: str, mobile: str | None = None, email: str | None = None, **profile: str
) -> User:
    with transaction.atomic():
        if mobile and User.objects.filter(mobile=mobile).exists():
            raise IdentifierTaken(_("该手机号已注册，请直接登录。"), field="mobile")
        if email and User.objects.filter(email__iexact=email).exists():
            raise IdentifierTaken(_("该邮箱已注册，请直接登录。"), field="email")
        user = User(username=generate_username(), mobile=mobile, email=email or None, **profile)
        user.set_password(password)
        user.save()
        return user


def user_require_identity(*, user: User) -> User:
    """Other apps call this before a first transaction: real name and mobile are required."""
    if not user.real_name or not user.mobile:
        raise IdentityIncomplete(_("下单前请先在会员中心填写真实姓名并绑定手机号。"))
    return user


def _check_regions(*, province: Region, city: Region, district: Region) -> None:
    if not (
        province.level == Region.Level.PROVINCE
        and city.level == Region.Level.CITY
        and district.level == Region.Level.DISTRICT
        and city.parent_id == province.code
        and district.parent_id == city.code
    ):
        raise AddressInvalid(_("省、市、区县不匹配，请重新选择。"), field="district")


def address_create(
    *,
    user: User,
    recipient: str,
    phone: str,
    province: Region,
    city: Region,
    district: Region,
    detail: str,
    postcode: str = "",
    is_default: bool = False,
) -> Address:
    _check_regions(province=province, city=city, district=district)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # serialise default changes per member
        first = not Address.objects.filter(user=user).exists()
        if is_default and not first:
            Address.objects.filter(user=user, is_default=True).update(is_default=False)
        return Address.objects.create(
            user=user,
            recipient=recipient,
            phone=phone,
            province=province,
            city=city,
            district=district,
            detail=detail,
            postcode=postcode,
            is_default=is_default or first,
        )


def address_update(*, address: Address, **fields) -> Address:
    regions = {k: fields.get(k, getattr(address, k)) for k in ("province", "city", "district")}
    _check_regions(**regions)
    make_default = fields.pop("is_default", False)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(address, name, value)
        address.save()
        if make_default:
            address = address_set_default(address=address)
        return address


def address_set_default(*, address: Address) -> Address:
    with transaction.atomic():
        User.objects.select_for_update().get(pk=address.user_id)
        Address.objects.filter(user_id=address.user_id, is_default=True).exclude(
            pk=address.pk
        ).update(is_default=False)
        Address.objects.filter(pk=address.pk).update(is_default=True)
        address.is_default = True
        return address


def address_delete(*, address: Address) -> None:
    """Delete an address; when it was the default, the newest remaining one becomes default."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=address.user_id)
        was_default = address.is_default
        user_id = address.user_id
        address.delete()
        if was_default:
            successor = Address.objects.filter(user_id=user_id).order_by("-created_at").first()
            if successor:
                Address.objects.filter(pk=successor.pk).update(is_default=True)


def member_create(*, mobile: str, password: str, marketing_sms: bool = False) -> User:
    """Create a member who agreed to the terms and the privacy policy, each consent recorded
    on its own (PIPL). Registration calls it once the mobile number is verified."""
    with transaction.atomic():
        user = user_create(mobile=mobile, password=password)
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(user=user, purpose=ConsentRecord.Purpose.TERMS, granted=True),
                ConsentRecord(user=user, purpose=ConsentRecord.Purpose.PRIVACY, granted=True),
                ConsentRecord(
                    user=user, purpose=ConsentRecord.Purpose.MARKETING_SMS, granted=marketing_sms
                ),
            ]
        )
        return user


def member_register(
    *,
    mobile: str,
    password: str,
    sms_code: str,
    terms_accepted: bool,
    privacy_accepted: bool,
    marketing_sms: bool = False,
) -> User:
    """Self-service registration (MEM-1): no approval, the mobile proven by an SMS code.

    The code is checked before anything else about the number, so only its owner learns
    whether it is already registered.
    """
    if not (terms_accepted and privacy_accepted):
        raise ConsentRequired(_("请阅读并分别同意《用户协议》和《隐私政策》。"))
    mobile = validate_mobile(mobile)
    validate_new_password(password, field="password")
    sms_code_verify(mobile=mobile, purpose=SmsCode.Purpose.REGISTER, code=sms_code)
    return member_create(mobile=mobile, password=password, marketing_sms=marketing_sms)
