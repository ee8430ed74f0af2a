from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入 11 位中国大陆手机号。"))


class LoginForm(forms.Form):
    identifier = forms.CharField(label=_("用户名 / 手机号 / 邮箱"), max_length=254)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class RegisterForm(forms.Form):
    mobile = forms.CharField(label=_("手机号"), max_length=11, validators=[mobile_validator])
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput, help_text=_("至少 8 位，不能全是数字")
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)
    accept_terms = forms.BooleanField(label=_("我已阅读并同意《用户协议》"))
    accept_privacy = forms.BooleanField(label=_("我已阅读并同意《隐私政策》"))
    marketing_sms = forms.BooleanField(label=_("接收优惠活动短信（可随时退订）"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data
