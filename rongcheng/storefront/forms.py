from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rongcheng.accounts.passwords import SECURITY_QUESTIONS
from rongcheng.accounts.verification import MOBILE_PATTERN

mobile_validator = RegexValidator(MOBILE_PATTERN, _("请输入 11 位中国大陆手机号。"))
code_validator = RegexValidator(r"^\d{6}$", _("请输入 6 位数字验证码。"))


def mobile_field() -> forms.CharField:
    return forms.CharField(
        label=_("手机号"),
        max_length=11,
        validators=[mobile_validator],
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}
        ),
    )


def code_field() -> forms.CharField:
    return forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        validators=[code_validator],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )


def password_field(label, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice and checked against the password rules."""

    new_password1 = password_field(_("新密码"))
    new_password2 = password_field(_("确认新密码"))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _("至少 8 位，不能全是数字")

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", gettext("两次输入的密码不一致。"))
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


class LoginForm(forms.Form):
    identifier = forms.CharField(label=_("用户名 / 手机号 / 邮箱"), max_length=254)
    password = password_field(_("密码"), autocomplete="current-password")


class SmsLoginForm(forms.Form):
    mobile = mobile_field()
    sms_code = code_field()


class RegisterForm(forms.Form):
    mobile = mobile_field()
    sms_code = code_field()
    password = password_field(_("密码"))
    password2 = password_field(_("确认密码"))
    accept_terms = forms.BooleanField(label=_("我已阅读并同意《用户协议》"))
    accept_privacy = forms.BooleanField(label=_("我已阅读并同意《隐私政策》"))
    marketing_sms = forms.BooleanField(label=_("接收优惠活动短信（可随时退订）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("至少 8 位，不能全是数字")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", gettext("两次输入的密码不一致。"))
        elif data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class SmsResetForm(NewPasswordForm):
    mobile = mobile_field()
    sms_code = code_field()
    field_order = ["mobile", "sms_code", "new_password1", "new_password2"]


class EmailResetForm(forms.Form):
    email = forms.EmailField(label=_("注册邮箱"), max_length=254)


class QuestionLookupForm(forms.Form):
    identifier = forms.CharField(label=_("用户名 / 手机号 / 邮箱"), max_length=254)


class QuestionResetForm(NewPasswordForm):
    identifier = forms.CharField(max_length=254, widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("密保答案"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    field_order = ["identifier", "answer", "new_password1", "new_password2"]


class PasswordChangeForm(NewPasswordForm):
    channel = forms.ChoiceField(label=_("验证方式"), widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        validators=[code_validator],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )
    old_password = password_field(_("当前密码"), autocomplete="current-password")
    field_order = ["channel", "code", "old_password", "new_password1", "new_password2"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        choices = []
        if user.mobile:
            choices.append(
                ("sms", _("短信验证码（%(mobile)s）") % {"mobile": mask_mobile(user.mobile)})
            )
        if user.email:
            choices.append(
                ("email", _("邮箱验证码（%(email)s）") % {"email": mask_email(user.email)})
            )
        self.fields["channel"].choices = choices
        self.fields["channel"].initial = choices[0][0] if choices else None


class SecurityQuestionForm(forms.Form):
    question = forms.ChoiceField(label=_("密保问题"))
    answer = forms.CharField(
        label=_("答案"),
        max_length=100,
        help_text=_("找回密码时需要回答；不区分大小写和空格"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = password_field(_("登录密码"), autocomplete="current-password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("请选择"))] + [
            (question, gettext(question)) for question in SECURITY_QUESTIONS
        ]


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_email(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:2]}***@{domain}"
