"""The buyer center (会员中心): profile, address book, and the member's data rights."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.accounts.models import ConsentRecord
from rongcheng.accounts.privacy import user_close, user_export_data
from rongcheng.accounts.selectors import (
    address_get,
    address_list,
    consent_current,
    consent_history,
)
from rongcheng.accounts.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
    user_change_username,
    user_update_profile,
    username_is_system,
)
from rongcheng.core.dates import local_day
from rongcheng.core.errors import ApplicationError
from rongcheng.storefront.member_forms import (
    AddressForm,
    CloseAccountForm,
    ProfileForm,
    UsernameForm,
)

MARKETING_SMS = ConsentRecord.Purpose.MARKETING_SMS


def _show_error(form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


@login_required
def member_home(request):
    """我的资料: what the member has told us, and what is still missing."""
    user = request.user
    context = {
        "section": "profile",
        "marketing_sms": consent_current(user=user, purpose=MARKETING_SMS),
        "username_changeable": username_is_system(user.username),
    }
    return render(request, "member/home.html", context)


@login_required
def profile_edit(request):
    user = request.user
    initial = {
        "email": user.email or "",
        "real_name": user.real_name,
        "landline": user.landline,
        "postcode": user.postcode,
        "city": user.city_id or "",
        "marketing_sms": consent_current(user=user, purpose=MARKETING_SMS),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(user=user, **form.cleaned_data)
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("资料已保存。"))
            return redirect("storefront:member")
    return render(request, "member/profile_form.html", {"form": form, "section": "profile"})


@login_required
def username_change(request):
    if not username_is_system(request.user.username):
        messages.error(request, _("用户名只能修改一次，您已修改过。"))
        return redirect("storefront:member")
    form = UsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_username(user=request.user, username=form.cleaned_data["username"])
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("用户名已修改，今后可用新用户名登录。"))
            return redirect("storefront:member")
    return render(request, "member/username_form.html", {"form": form, "section": "profile"})


@login_required
def address_book(request):
    context = {
        "addresses": list(address_list(user=request.user)),
        "limit": settings.RONGCHENG["ADDRESS_BOOK_LIMIT"],
        "section": "addresses",
    }
    return render(request, "member/addresses.html", context)


def _address_form(request, *, initial: dict):
    """Bound to a saving POST; otherwise unbound, its selects following the GET (or, without
    JavaScript, the "refresh" POST) parameters so that a chosen province lists its cities."""
    saving = request.method == "POST" and "refresh" not in request.POST
    source = request.POST if request.method == "POST" else request.GET
    province = source.get("province", initial.get("province", ""))
    city = source.get("city", initial.get("city", ""))
    if saving:
        return AddressForm(request.POST, province=province, city=city), True
    values = {**initial, **source.dict()}
    values.pop("csrfmiddlewaretoken", None)
    values.pop("refresh", None)
    form = AddressForm(province=province, city=city, initial=values)
    form.initial.update(form.selected)
    return form, False


@login_required
def address_new(request):
    form, saving = _address_form(request, initial={})
    if saving and form.is_valid():
        try:
            address_create(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("收货地址已添加。"))
            return redirect("storefront:member_addresses")
    return render(
        request, "member/address_form.html", {"form": form, "address": None, "section": "addresses"}
    )


@login_required
def address_edit(request, address_id: int):
    address = address_get(user=request.user, address_id=address_id)
    initial = {
        "recipient": address.recipient,
        "phone": address.phone,
        "province": address.province_id,
        "city": address.city_id,
        "district": address.district_id,
        "detail": address.detail,
        "postcode": address.postcode,
        "is_default": address.is_default,
    }
    form, saving = _address_form(request, initial=initial)
    if saving and form.is_valid():
        try:
            address_update(address=address, **form.cleaned_data)
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("收货地址已保存。"))
            return redirect("storefront:member_addresses")
    return render(
        request,
        "member/address_form.html",
        {"form": form, "address": address, "section": "addresses"},
    )


@login_required
def address_remove(request, address_id: int):
    address = address_get(user=request.user, address_id=address_id)
    if request.method == "POST":
        address_delete(address=address)
        messages.success(request, _("收货地址已删除。"))
        return redirect("storefront:member_addresses")
    return render(
        request, "member/address_delete.html", {"address": address, "section": "addresses"}
    )


@login_required
@require_POST
def address_make_default(request, address_id: int):
    address = address_get(user=request.user, address_id=address_id)
    address_set_default(address=address)
    messages.success(request, _("已设为默认地址。"))
    return redirect("storefront:member_addresses")


@login_required
def privacy_center(request):
    """隐私与数据: the consent log, the data download and account closure (LAW-4)."""
    consents = list(consent_history(user=request.user)[:50])
    return render(request, "member/privacy.html", {"consents": consents, "section": "privacy"})


@login_required
def data_export(request):
    data = user_export_data(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"rongcheng-{request.user.pk}-{local_day():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_close(request):
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_close(user=request.user, password=form.cleaned_data["password"])
        except ApplicationError as error:
            _show_error(form, error)
        else:
            logout(request)
            messages.success(request, _("您的账户已注销，个人资料已清除。感谢您曾选择绒城购。"))
            return redirect("storefront:home")
    return render(request, "member/close.html", {"form": form, "section": "privacy"})
