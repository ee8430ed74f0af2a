"""Account security in the buyer center: change the password, set the security question."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import NoVerificationChannel
from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.passwords import password_change, security_question_set
from rongcheng.accounts.verification import email_code_send
from rongcheng.core.errors import ApplicationError
from rongcheng.storefront.forms import (
    PasswordChangeForm,
    SecurityQuestionForm,
    mask_email,
    mask_mobile,
)
from rongcheng.storefront.views.codes import (
    is_send_code,
    posted_initial,
    send_code_answer,
    show_error,
    sms_sender,
)

PURPOSE = SmsCode.Purpose.CHANGE_PASSWORD


def _code_sender(request, channel: str):
    """Send the identity code to the member's own e-mail or mobile, never to a typed address."""
    user = request.user

    def send() -> str:
        if channel == "email":
            email_code_send(user=user, purpose=PURPOSE)
            return _("验证码已发送至邮箱 %(email)s，请注意查收。") % {
                "email": mask_email(user.email)
            }
        if not user.mobile:
            raise NoVerificationChannel(_("您还没有绑定手机号，请改用邮箱验证。"))
        sms_sender(request, purpose=PURPOSE, mobile=user.mobile)()
        return _("验证码已发送至 %(mobile)s，请注意查收短信。") % {
            "mobile": mask_mobile(user.mobile)
        }

    return send


@login_required
def password_change_view(request):
    user = request.user

    def page(form, **extra):
        context = {"form": form, "section": "password", **extra}
        return render(request, "member/password.html", context)

    if is_send_code(request):
        return send_code_answer(
            request,
            send=_code_sender(request, request.POST.get("channel", "sms")),
            page=lambda **extra: page(
                PasswordChangeForm(initial=posted_initial(request), user=user), **extra
            ),
        )
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_change(
                user=user,
                old_password=data["old_password"],
                new_password=data["new_password1"],
                code=data["code"],
                channel=data["channel"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            update_session_auth_hash(request, user)  # stay signed in here; other sessions end
            messages.success(request, _("密码已修改，其他设备需要重新登录。"))
            return redirect("storefront:member_password")
    return page(form)


@login_required
def security_question_view(request):
    user = request.user
    form = SecurityQuestionForm(request.POST or None, initial={"question": user.security_question})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            security_question_set(
                user=user,
                password=data["password"],
                question=data["question"],
                answer=data["answer"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("密保问题已保存。"))
            return redirect("storefront:member_security_question")
    current = _(user.security_question) if user.security_answer else ""
    return render(
        request,
        "member/security_question.html",
        {"form": form, "section": "security_question", "current_question": current},
    )
