from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.accounts.services import member_register
from rongcheng.core.errors import ApplicationError
from rongcheng.storefront.forms import LoginForm, RegisterForm


def safe_next(request, default: str = "storefront:member") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["identifier"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            return redirect(safe_next(request))
        form.add_error(None, _("账号或密码不正确。"))
    return render(request, "auth/login.html", {"form": form, "next": safe_next(request, "")})


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("storefront:home")


def register_view(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = member_register(
                mobile=data["mobile"],
                password=data["password"],
                marketing_sms=data["marketing_sms"],
            )
        except ApplicationError as error:
            form.add_error(error.field or None, error.message)
        else:
            login(request, user, backend="rongcheng.accounts.backends.IdentifierBackend")
            messages.success(request, _("注册成功，欢迎加入绒城购！"))
            return redirect("storefront:member")
    return render(request, "auth/register.html", {"form": form})
