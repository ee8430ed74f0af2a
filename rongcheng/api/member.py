"""The buyer center for the app and the mini-program: profile, address book, data rights."""

from typing import Annotated

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator

from rongcheng.accounts.models import ConsentRecord, User
from rongcheng.accounts.privacy import user_close, user_export_data
from rongcheng.accounts.selectors import address_get, address_list, consent_current
from rongcheng.accounts.services import (
    LANDLINE_RE,
    POSTCODE_RE,
    REAL_NAME_RE,
    USERNAME_RE,
    address_create,
    address_delete,
    address_set_default,
    address_update,
    user_update_profile,
    username_is_system,
)
from rongcheng.api.auth import member_auth
from rongcheng.api.contract import (
    MOBILE,
    NOT_BLANK,
    REGION_CODE,
    REGION_CODE_RE,
    BodyIn,
    Id,
    errors,
    whole,
    whole_or_empty,
)
from rongcheng.regions.errors import UnknownRegion
from rongcheng.regions.models import Region
from rongcheng.regions.selectors import region_get

router = Router(tags=["member"], auth=member_auth)

MARKETING_SMS = ConsentRecord.Purpose.MARKETING_SMS


class PlaceOut(Schema):
    code: str
    name: str


class ProfileOut(Schema):
    username: str
    username_changeable: bool
    mobile: str | None
    email: str | None
    real_name: str
    landline: str
    postcode: str
    city: PlaceOut | None
    marketing_sms: bool


def _email(value: str | None) -> str | None:
    if value is not None:
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValueError("not an e-mail address") from error
    return value


# What Django's validate_email accepts, so that every address the schema allows is taken.
EMAIL = (
    r"^[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{1,62}[A-Za-z0-9]$"
)
Email = Annotated[
    str | None,
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email", "pattern": EMAIL}),
]
Postcode = Annotated[str, Field(pattern=whole_or_empty(POSTCODE_RE), description="6 位数字")]


class ProfilePatch(BodyIn):
    """Only the fields sent change; null or "" clears a field."""

    username: str | None = Field(
        None, pattern=whole(USERNAME_RE), description="仅系统生成的用户名可修改一次"
    )
    email: Email = Field(None, max_length=254, description="null 表示清除")
    real_name: str | None = Field(None, max_length=50, pattern=whole_or_empty(REAL_NAME_RE))
    landline: str | None = Field(None, pattern=whole_or_empty(LANDLINE_RE))
    postcode: Postcode | None = None
    city_code: str | None = Field(
        None, pattern=whole_or_empty(REGION_CODE_RE), description="城市代码；空字符串表示清除"
    )
    marketing_sms: bool | None = None


class AddressOut(Schema):
    id: int
    recipient: str
    phone: str
    province: PlaceOut
    city: PlaceOut
    district: PlaceOut
    detail: str
    postcode: str
    is_default: bool


Recipient = Annotated[str, Field(max_length=50, pattern=NOT_BLANK)]
Phone = Annotated[str, Field(pattern=MOBILE)]
RegionCode = Annotated[str, Field(pattern=REGION_CODE)]
Detail = Annotated[str, Field(max_length=200, pattern=NOT_BLANK)]


class AddressIn(BodyIn):
    recipient: Recipient
    phone: Phone
    province_code: RegionCode
    city_code: RegionCode
    district_code: RegionCode
    detail: Detail
    postcode: Postcode = ""
    is_default: bool = False


class AddressPatch(BodyIn):
    """Only the fields sent change."""

    recipient: Recipient | None = None
    phone: Phone | None = None
    province_code: RegionCode | None = None
    city_code: RegionCode | None = None
    district_code: RegionCode | None = None
    detail: Detail | None = None
    postcode: Postcode | None = None
    is_default: bool = False


class CloseIn(BodyIn):
    password: str


class Closed(Schema):
    closed: bool


def _profile(user: User) -> dict:
    return {
        "username": user.username,
        "username_changeable": username_is_system(user.username),
        "mobile": user.mobile,
        "email": user.email,
        "real_name": user.real_name,
        "landline": user.landline,
        "postcode": user.postcode,
        "city": user.city,
        "marketing_sms": consent_current(user=user, purpose=MARKETING_SMS),
    }


def _given(changes: dict, name: str, current: str | None) -> str:
    """The new value when the field was sent (null clears it), else the current one."""
    return (changes[name] or "") if name in changes else (current or "")


def _region(code: str, field: str) -> Region:
    region = region_get(code=code)
    if region is None:
        raise UnknownRegion(_("没有这个地区代码：%(code)s。") % {"code": code}, field=field)
    return region


@router.get("/profile", response=ProfileOut, summary="我的资料")
def profile(request):
    return _profile(request.user)


@router.patch(
    "/profile",
    response={200: ProfileOut, **errors(400, 404, 409)},
    summary="修改资料（只改传入的字段）",
)
def profile_update(request, payload: ProfilePatch):
    user = request.user
    changes = payload.dict(exclude_unset=True)
    city = user.city
    if "city_code" in changes:
        code = changes["city_code"]
        city = _region(code, "city_code") if code else None
    user_update_profile(
        user=user,
        username=changes.get("username"),
        email=_given(changes, "email", user.email),
        real_name=_given(changes, "real_name", user.real_name),
        landline=_given(changes, "landline", user.landline),
        postcode=_given(changes, "postcode", user.postcode),
        city=city,
        marketing_sms=changes.get("marketing_sms"),
    )
    return _profile(user)


@router.get("/addresses", response=list[AddressOut], summary="收货地址列表（默认地址在前）")
def addresses(request):
    return list(address_list(user=request.user))


@router.post("/addresses", response={201: AddressOut, **errors(400, 404)}, summary="新增收货地址")
def address_add(request, payload: AddressIn):
    address = address_create(
        user=request.user,
        recipient=payload.recipient,
        phone=payload.phone,
        province=_region(payload.province_code, "province_code"),
        city=_region(payload.city_code, "city_code"),
        district=_region(payload.district_code, "district_code"),
        detail=payload.detail,
        postcode=payload.postcode,
        is_default=payload.is_default,
    )
    return Status(201, address_get(user=request.user, address_id=address.pk))


@router.patch(
    "/addresses/{address_id}",
    response={200: AddressOut, **errors(400, 404)},
    summary="修改收货地址",
)
def address_change(request, address_id: Id, payload: AddressPatch):
    address = address_get(user=request.user, address_id=address_id)
    address_update(
        address=address,
        recipient=payload.recipient,
        phone=payload.phone,
        province=_region(payload.province_code, "province_code") if payload.province_code else None,
        city=_region(payload.city_code, "city_code") if payload.city_code else None,
        district=_region(payload.district_code, "district_code") if payload.district_code else None,
        detail=payload.detail,
        postcode=payload.postcode,
        is_default=payload.is_default,
    )
    return address_get(user=request.user, address_id=address_id)


@router.delete(
    "/addresses/{address_id}", response={204: None, **errors(404)}, summary="删除收货地址"
)
def address_remove(request, address_id: Id):
    address_delete(address=address_get(user=request.user, address_id=address_id))
    return Status(204, None)


@router.post(
    "/addresses/{address_id}/default",
    response={200: AddressOut, **errors(404)},
    summary="设为默认地址",
)
def address_default(request, address_id: Id):
    address = address_get(user=request.user, address_id=address_id)
    return address_set_default(address=address)


@router.get("/export", summary="下载我的数据（个人信息保护法第四十五条）")
def export(request):
    return user_export_data(user=request.user)


@router.post(
    "/close", response={200: Closed, **errors(403)}, summary="注销账户（个人信息保护法第四十七条）"
)
def close(request, payload: CloseIn):
    user_close(user=request.user, password=payload.password)
    logout(request)
    return {"closed": True}
