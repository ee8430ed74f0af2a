"""Forms of the wallet pages (我的钱包): top-up, payment password and withdrawal.

The wallet services check every rule again; these forms give the pages their fields and the
first, field-by-field messages.
"""

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from rongcheng.ledger.models import Channel

six_digits = RegexValidator(r"^[0-9]{6}$", _("支付密码必须是 6 位数字。"))


def _password_input() -> forms.PasswordInput:
    return forms.PasswordInput(
        attrs={"inputmode": "numeric", "maxlength": 6, "autocomplete": "off"}
    )


def _amount_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("金额（元）"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class TopupForm(forms.Form):
    amount = _amount_field()
    method = forms.ChoiceField(label=_("支付方式"), widget=forms.RadioSelect)

    def __init__(self, *args, methods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods
        if methods:
            self.fields["method"].initial = methods[0][0]


class PaymentPasswordForm(forms.Form):
    """A new payment password, proven by the login password or an SMS code."""

    password = forms.CharField(
        label=_("新支付密码"), validators=[six_digits], widget=_password_input()
    )
    login_password = forms.CharField(
        label=_("登录密码"), required=False, widget=forms.PasswordInput()
    )
    code = forms.CharField(label=_("或短信验证码"), required=False, max_length=6)

    def clean(self):
        data = super().clean()
        if not data.get("login_password") and not data.get("code"):
            raise forms.ValidationError(_("请输入登录密码或短信验证码。"))
        return data


class WithdrawalForm(forms.Form):
    amount = _amount_field()
    channel = forms.ChoiceField(label=_("收款方式"), choices=Channel.choices)
    payee_name = forms.CharField(label=_("收款人姓名"), max_length=50)
    payee_account = forms.CharField(label=_("收款账号"), max_length=64)
    password = forms.CharField(
        label=_("支付密码"), validators=[six_digits], widget=_password_input()
    )
