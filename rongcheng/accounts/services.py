"""Writes to members, their profiles and address books."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import (
    AddressInvalid,
    AddressLimitReached,
    ConsentRequired,
    IdentifierTaken,
    IdentityIncomplete,
    ProfileInvalid,
    UsernameInvalid,
    UsernameLocked,
)
from rongcheng.accounts.models import Address, ConsentRecord, SmsCode, User
from rongcheng.accounts.passwords import validate_new_password
from rongcheng.accounts.selectors import consent_latest
from rongcheng.accounts.verification import sms_code_verify, validate_mobile
from rongcheng.core.errors import NotFound
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


# --- Profile (MEM-2) and consents (LAW-4) ---------------------------------------------------

SYSTEM_USERNAME_RE = re.compile(r"rc[0-9]{8}", re.IGNORECASE)
CLOSED_USERNAME_PREFIX = "closed_"
USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,19}")
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
POSTCODE_RE = re.compile(r"[0-9]{6}")
LANDLINE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")
# Letters of any script, with the spaces and dots of names such as 阿依古丽·买买提.
REAL_NAME_RE = re.compile(r"[^\W\d_]([^\W\d_]|[ ·•.\-])*")
# The terms and the privacy policy are accepted at registration and end only with the account.
OPTIONAL_CONSENTS = frozenset({ConsentRecord.Purpose.MARKETING_SMS})


def username_is_system(username: str) -> bool:
    """Still the generated rc######## name, which the member may replace once."""
    return SYSTEM_USERNAME_RE.fullmatch(username) is not None


def _check_username(*, user: User, username: str) -> None:
    if not USERNAME_RE.fullmatch(username):
        raise UsernameInvalid(
            _("用户名须为 4–20 位字母、数字或下划线，并以字母开头。"), field="username"
        )
    if MOBILE_RE.search(username):
        raise UsernameInvalid(_("用户名不能包含手机号。"), field="username")
    if username_is_system(username) or username.lower().startswith(CLOSED_USERNAME_PREFIX):
        raise UsernameInvalid(_("该用户名为系统保留，请换一个。"), field="username")
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise IdentifierTaken(_("该用户名已被使用，请换一个。"), field="username")


def user_change_username(*, user: User, username: str) -> User:
    """Replace the generated username with one the member chose; allowed once only."""
    username = username.strip()
    with transaction.atomic():
        current = User.objects.select_for_update().only("username").get(pk=user.pk)
        if not username_is_system(current.username):
            raise UsernameLocked(_("用户名只能修改一次，您已修改过。"), field="username")
        _check_username(user=user, username=username)
        try:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(username=username)
        except IntegrityError as error:
            raise IdentifierTaken(_("该用户名已被使用，请换一个。"), field="username") from error
        user.username = username
        return user


def _clean_profile(
    *, email: str | None, real_name: str, landline: str, postcode: str, city: Region | None
) -> dict:
    email = User.objects.normalize_email((email or "").strip()) or None
    real_name, landline, postcode = real_name.strip(), landline.strip(), postcode.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ProfileInvalid(_("请输入有效的邮箱地址。"), field="email") from error
    if real_name and (len(real_name) > 50 or not REAL_NAME_RE.fullmatch(real_name)):
        raise ProfileInvalid(_("真实姓名只能包含文字，最多 50 个字。"), field="real_name")
    if landline and not LANDLINE_RE.fullmatch(landline):
        raise ProfileInvalid(_("固定电话格式如 0477-8888888。"), field="landline")
    if postcode and not POSTCODE_RE.fullmatch(postcode):
        raise ProfileInvalid(_("邮编为 6 位数字。"), field="postcode")
    if city is not None and city.level != Region.Level.CITY:
        raise ProfileInvalid(_("请选择一个城市。"), field="city")
    return {
        "email": email,
        "real_name": real_name,
        "landline": landline,
        "postcode": postcode,
        "city": city,
    }


def user_update_profile(
    *,
    user: User,
    email: str | None,
    real_name: str,
    landline: str,
    postcode: str,
    city: Region | None,
    marketing_sms: bool | None = None,
    username: str | None = None,
) -> User:
    """Save the editable profile; with marketing_sms, also record that consent's new state;
    with a username other than the current one, change it too (allowed once). All of it is
    saved or none."""
    values = _clean_profile(
        email=email, real_name=real_name, landline=landline, postcode=postcode, city=city
    )
    with transaction.atomic():
        if username and username != user.username:
            user_change_username(user=user, username=username)
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        taken = User.objects.filter(email__iexact=values["email"]).exclude(pk=user.pk)
        if values["email"] and taken.exists():
            raise IdentifierTaken(_("该邮箱已被其他账号使用。"), field="email")
        for name, value in values.items():
            setattr(user, name, value)
        try:
            with transaction.atomic():
                user.save(update_fields=list(values))
        except IntegrityError as error:
            raise IdentifierTaken(_("该邮箱已被其他账号使用。"), field="email") from error
        if marketing_sms is not None:
            consent_set(
                user=user, purpose=ConsentRecord.Purpose.MARKETING_SMS, granted=marketing_sms
            )
        return user


def consent_set(*, user: User, purpose: str, granted: bool) -> ConsentRecord:
    """Record a consent given or withdrawn; a choice equal to the current state adds nothing."""
    if purpose not in OPTIONAL_CONSENTS:
        raise ConsentRequired(_("用户协议与隐私政策的同意只能通过注销账户撤回。"))
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        latest = consent_latest(user=user, purpose=purpose)
        if latest is not None and latest.granted == granted:
            return latest
        return ConsentRecord.objects.create(user=user, purpose=purpose, granted=granted)


# --- Address book (MEM-4) -------------------------------------------------------------------


def _check_regions(*, province: Region, city: Region, district: Region) -> None:
    if not (
        province.level == Region.Level.PROVINCE
        and city.level == Region.Level.CITY
        and district.level == Region.Level.DISTRICT
        and city.parent_id == province.code
        and district.parent_id == city.code
    ):
        raise AddressInvalid(_("省、市、区县不匹配，请重新选择。"), field="district")


def _clean_address(*, recipient: str, phone: str, detail: str, postcode: str) -> dict[str, str]:
    recipient, phone, detail, postcode = (
        recipient.strip(),
        phone.strip(),
        detail.strip(),
        postcode.strip(),
    )
    if not recipient or len(recipient) > 50:
        raise AddressInvalid(_("请填写收货人姓名（最多 50 个字）。"), field="recipient")
    if not MOBILE_RE.fullmatch(phone):
        raise AddressInvalid(_("请输入 11 位中国大陆手机号。"), field="phone")
    if not detail or len(detail) > 200:
        raise AddressInvalid(_("请填写详细地址（最多 200 个字）。"), field="detail")
    if postcode and not POSTCODE_RE.fullmatch(postcode):
        raise AddressInvalid(_("邮编为 6 位数字。"), field="postcode")
    return {"recipient": recipient, "phone": phone, "detail": detail, "postcode": postcode}


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
    values = _clean_address(recipient=recipient, phone=phone, detail=detail, postcode=postcode)
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)  # one writer per book
        count = Address.objects.filter(user=user).count()
        limit = settings.RONGCHENG["ADDRESS_BOOK_LIMIT"]
        if count >= limit:
            raise AddressLimitReached(
                _("最多保存 %(limit)s 个收货地址，请先删除不用的地址。") % {"limit": limit}
            )
        if is_default and count:
            Address.objects.filter(user=user, is_default=True).update(is_default=False)
        return Address.objects.create(
            user=user,
            province=province,
            city=city,
            district=district,
            is_default=is_default or not count,
            **values,
        )


def address_update(
    *,
    address: Address,
    recipient: str | None = None,
    phone: str | None = None,
    province: Region | None = None,
    city: Region | None = None,
    district: Region | None = None,
    detail: str | None = None,
    postcode: str | None = None,
    is_default: bool = False,
) -> Address:
    """Change the given fields (None keeps one); is_default=True makes it the default."""
    regions = {
        "province": province or address.province,
        "city": city or address.city,
        "district": district or address.district,
    }
    _check_regions(**regions)
    values = _clean_address(
        recipient=address.recipient if recipient is None else recipient,
        phone=address.phone if phone is None else phone,
        detail=address.detail if detail is None else detail,
        postcode=address.postcode if postcode is None else postcode,
    )
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=address.user_id)
        for name, value in {**regions, **values}.items():
            setattr(address, name, value)
        # is_default is left out: it may have changed since this row was read.
        address.save(update_fields=[*regions, *values, "updated_at"])
        if is_default:
            address = address_set_default(address=address)
        return address


def address_set_default(*, address: Address) -> Address:
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=address.user_id)
        if not Address.objects.filter(pk=address.pk).exists():
            raise NotFound(_("收货地址不存在。"))
        Address.objects.filter(user_id=address.user_id, is_default=True).exclude(
            pk=address.pk
        ).update(is_default=False)
        Address.objects.filter(pk=address.pk).update(is_default=True)
        address.is_default = True
        return address


def address_delete(*, address: Address) -> None:
    """Delete an address; when it was the default, the newest remaining one becomes default."""
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=address.user_id)
        # Read the flag again under the lock: the copy in hand may be stale.
        was_default = Address.objects.filter(pk=address.pk, is_default=True).exists()
        Address.objects.filter(pk=address.pk).delete()
        if was_default:
            successor = (
                Address.objects.filter(user_id=address.user_id)
                .order_by("-created_at", "-pk")
                .first()
            )
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
