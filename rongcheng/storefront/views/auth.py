from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.services import member_register
from rongcheng.accounts.verification import member_sms_login
from rongcheng.cart.session import bag_merge_session
from rongcheng.core.errors import ApplicationError
from rongcheng.storefront.forms import LoginForm, RegisterForm, SmsLoginForm
from rongcheng.storefront.views.codes import (
    is_send_code,
    posted_initial,
    send_code_answer,
    show_error,
    sms_sender,
)
from rongcheng.stores.selectors import staff_memberships

SESSION_BACKEND = "rongcheng.accounts.backends.IdentifierBackend"


def safe_next(request, default: str = "storefront:member") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def landing_page(user) -> str:
    """Where a sign-in without ?next leads: store staff to the seller center, other staff to
    the back office, members to the member center."""
    if staff_memberships(user_id=user.pk):
        return "sellercenter:index"
    if user.is_staff:
        return "admin:index"
    return "storefront:member"


def sign_in(request, user, backend: str | None = None) -> None:
    """Log the member in and move the visitor's bag into the member's (ORD-1)."""
    login(request, user, backend=backend)
    bag_merge_session(user=user, session=request.session)


def login_view(request):
    """Password sign-in, or with ?mode=sms a code texted to the member's mobile."""
    mode = request.POST.get("mode") or request.GET.get("mode")
    if mode == "sms":
        return _sms_login(request)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-axes counts the failures of authenticate() and locks the (name, IP) pair.
        user = authenticate(
            request,
            username=form.cleaned_data["identifier"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            sign_in(request, user)
            return redirect(safe_next(request, landing_page(user)))
        form.add_error(None, _("账号或密码不正确。"))
    return render(
        request,
        "auth/login.html",
        {"form": form, "mode": "password", "next": safe_next(request, "")},
    )


def _sms_login(request):
    def page(form, **extra):
        context = {"form": form, "mode": "sms", "next": safe_next(request, ""), **extra}
        return render(request, "auth/login.html", context)

    if is_send_code(request):
        return send_code_answer(
            request,
            send=sms_sender(
                request, purpose=SmsCode.Purpose.LOGIN, mobile=request.POST.get("mobile", "")
            ),
            page=lambda **extra: page(SmsLoginForm(initial=posted_initial(request)), **extra),
        )
    form = SmsLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = member_sms_login(
                mobile=form.cleaned_data["mobile"], code=form.cleaned_data["sms_code"]
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            sign_in(request, user, backend=SESSION_BACKEND)
            return redirect(safe_next(request, landing_page(user)))
    return page(form)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("storefront:home")


def register_view(request):
    def page(form, **extra):
        return render(request, "auth/register.html", {"form": form, **extra})

    if is_send_code(request):
        return send_code_answer(
            request,
            send=sms_sender(
                request, purpose=SmsCode.Purpose.REGISTER, mobile=request.POST.get("mobile", "")
            ),
            page=lambda **extra: page(RegisterForm(initial=posted_initial(request)), **extra),
        )
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = member_register(
                mobile=data["mobile"],
                password=data["password"],
                sms_code=data["sms_code"],
                terms_accepted=data["accept_terms"],
                privacy_accepted=data["accept_privacy"],
                marketing_sms=data["marketing_sms"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            sign_in(request, user, backend=SESSION_BACKEND)
            messages.success(request, _("注册成功，欢迎加入绒城购！"))
            return redirect("storefront:member")
    return page(form)
