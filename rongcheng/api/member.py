"""The buyer center for the app and the mini-program: profile, address book, data rights."""

from django.contrib.auth import logout
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from rongcheng.accounts.errors import AddressInvalid, ProfileInvalid
from rongcheng.accounts.models import ConsentRecord, User
from rongcheng.accounts.privacy import user_close, user_export_data
from rongcheng.accounts.selectors import address_get, address_list, consent_current
from rongcheng.accounts.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
    user_edit_profile,
    username_is_system,
)
from rongcheng.api.auth import member_auth
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


class ProfilePatch(Schema):
    username: str | None = Field(None, description="仅系统生成的用户名可修改一次")
    email: str | None = None
    real_name: str | None = None
    landline: str | None = None
    postcode: str | None = None
    city_code: str | None = Field(None, description="城市代码；空字符串表示清除")
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


class AddressIn(Schema):
    recipient: str
    phone: str
    province_code: str
    city_code: str
    district_code: str
    detail: str
    postcode: str = ""
    is_default: bool = False


class AddressPatch(Schema):
    recipient: str | None = None
    phone: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    district_code: str | None = None
    detail: str | None = None
    postcode: str | None = None
    is_default: bool = False


class CloseIn(Schema):
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


def _region(code: str, field: str, error=AddressInvalid) -> Region:
    region = region_get(code=code)
    if region is None:
        raise error(_("没有这个地区代码：%(code)s。") % {"code": code}, field=field)
    return region


@router.get("/profile", response=ProfileOut, summary="我的资料")
def profile(request):
    return _profile(request.user)


@router.patch("/profile", response=ProfileOut, summary="修改资料（只改传入的字段）")
def profile_update(request, payload: ProfilePatch):
    user = request.user
    changes = payload.dict(exclude_unset=True)
    city = user.city
    if "city_code" in changes:
        code = changes["city_code"]
        city = _region(code, "city_code", ProfileInvalid) if code else None
    user_edit_profile(
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


@router.post("/addresses", response={201: AddressOut}, summary="新增收货地址")
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


@router.patch("/addresses/{address_id}", response=AddressOut, summary="修改收货地址")
def address_change(request, address_id: int, payload: AddressPatch):
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


@router.delete("/addresses/{address_id}", response={204: None}, summary="删除收货地址")
def address_remove(request, address_id: int):
    address_delete(address=address_get(user=request.user, address_id=address_id))
    return Status(204, None)


@router.post("/addresses/{address_id}/default", response=AddressOut, summary="设为默认地址")
def address_default(request, address_id: int):
    address = address_get(user=request.user, address_id=address_id)
    return address_set_default(address=address)


@router.get("/export", summary="下载我的数据（个人信息保护法第四十五条）")
def export(request):
    return user_export_data(user=request.user)


@router.post("/close", response=Closed, summary="注销账户（个人信息保护法第四十七条）")
def close(request, payload: CloseIn):
    user_close(user=request.user, password=payload.password)
    logout(request)
    return {"closed": True}
