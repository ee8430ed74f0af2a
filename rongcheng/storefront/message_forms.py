from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("message", _("给会员写信")),
    ("complaint", _("向平台投诉")),
    ("suggestion", _("向平台提建议")),
]


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=KINDS, initial="message")
    to = forms.CharField(label=_("收件会员（用户名）"), max_length=150, required=False)
    subject = forms.CharField(label=_("主题"), max_length=60)
    body = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=settings.RONGCHENG["LETTER_MAX_CHARS"],
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "message" and not data.get("to"):
            self.add_error("to", _("请填写收件会员的用户名。"))
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("回复"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.RONGCHENG["LETTER_MAX_CHARS"],
    )
