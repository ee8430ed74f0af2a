"""Recovering a lost password (MEM-3): by SMS code, e-mailed link or security question.

Every page answers the same whether or not the number, address or account exists.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.passwords import (
    password_reset_email_send,
    password_reset_link_user,
    password_reset_with_link,
    password_reset_with_security_answer,
    password_reset_with_sms,
    security_question_for,
)
from rongcheng.core.errors import ApplicationError
from rongcheng.storefront.forms import (
    EmailResetForm,
    NewPasswordForm,
    QuestionLookupForm,
    QuestionResetForm,
    SmsResetForm,
)
from rongcheng.storefront.views.codes import (
    is_send_code,
    posted_initial,
    send_code_answer,
    show_error,
    sms_sender,
)


def _done(request):
    messages.success(request, _("密码已重置，请使用新密码登录。"))
    return redirect("storefront:login")


def forgot_by_sms(request):
    def page(form, **extra):
        return render(request, "auth/forgot_sms.html", {"form": form, "method": "sms", **extra})

    if is_send_code(request):
        return send_code_answer(
            request,
            send=sms_sender(
                request,
                purpose=SmsCode.Purpose.RESET_PASSWORD,
                mobile=request.POST.get("mobile", ""),
            ),
            page=lambda **extra: page(SmsResetForm(initial=posted_initial(request)), **extra),
        )
    form = SmsResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_with_sms(
                mobile=form.cleaned_data["mobile"],
                code=form.cleaned_data["sms_code"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            return _done(request)
    return page(form)


def forgot_by_email(request):
    form = EmailResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_email_send(
            email=form.cleaned_data["email"],
            link_for=lambda uidb64, token: request.build_absolute_uri(
                reverse("storefront:password_reset_link", args=[uidb64, token])
            ),
        )
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        messages.info(
            request,
            _("如该邮箱已注册，重置链接已发送到该邮箱，请在 %(hours)d 小时内打开链接设置新密码。")
            % {"hours": hours},
        )
        return redirect("storefront:password_forgot_email")
    return render(request, "auth/forgot_email.html", {"form": form, "method": "email"})


def reset_by_link(request, uidb64: str, token: str):
    user = password_reset_link_user(uidb64=uidb64, token=token)  # error page when invalid
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_with_link(
                uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password1"]
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            return _done(request)
    return render(request, "auth/reset_link.html", {"form": form})


def forgot_by_question(request):
    """Step 1 asks for the account, step 2 shows its question (or a stand-in) and resets."""
    if request.method == "POST" and request.POST.get("step") == "answer":
        form = QuestionResetForm(request.POST)
        if form.is_valid():
            try:
                password_reset_with_security_answer(
                    identifier=form.cleaned_data["identifier"],
                    answer=form.cleaned_data["answer"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except ApplicationError as error:
                show_error(form, error)
            else:
                return _done(request)
        question = security_question_for(identifier=request.POST.get("identifier", ""))
        return _question_page(request, form, question)
    lookup = QuestionLookupForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        identifier = lookup.cleaned_data["identifier"]
        form = QuestionResetForm(initial={"identifier": identifier})
        return _question_page(request, form, security_question_for(identifier=identifier))
    return render(request, "auth/forgot_question.html", {"form": lookup, "method": "question"})


def _question_page(request, form, question: str):
    context = {"form": form, "method": "question", "question": _(question)}
    return render(request, "auth/forgot_question_answer.html", context)
