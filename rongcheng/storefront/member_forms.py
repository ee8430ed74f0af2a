"""Forms of the buyer center: profile, username, address book and account closure.

The services check every rule again; these forms give the page its fields, choices and the
first, field-by-field messages.
"""

from itertools import groupby

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from rongcheng.regions.models import Region
from rongcheng.regions.selectors import cities_with_province, region_children
from rongcheng.regions.selectors import provinces as region_provinces

postcode_validator = RegexValidator(r"^[0-9]{6}$", _("邮编为 6 位数字。"))
mobile_validator = RegexValidator(r"^1[3-9][0-9]{9}$", _("请输入 11 位中国大陆手机号。"))


class RegionChoiceField(forms.ChoiceField):
    """A select of regions that cleans to the Region row itself (no extra query)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions: dict[str, Region] = {}

    def set_regions(self, regions, *, grouped: bool = False) -> None:
        regions = list(regions)
        self.regions = {region.code: region for region in regions}
        empty = [("", _("请选择"))]
        if grouped:
            groups = groupby(regions, key=lambda region: region.parent)
            self.choices = empty + [
                (province.name, [(city.code, city.name) for city in cities])
                for province, cities in groups
            ]
        else:
            self.choices = empty + [(region.code, region.name) for region in regions]

    def clean(self, value):
        code = super().clean(value)
        return self.regions.get(code) if code else None


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("邮箱"), required=False, max_length=254)
    real_name = forms.CharField(
        label=_("真实姓名"),
        required=False,
        max_length=50,
        help_text=_("首次下单前须填写，用于开具发票和核对收货人。"),
    )
    landline = forms.CharField(
        label=_("固定电话"), required=False, max_length=20, help_text=_("如 0477-8888888")
    )
    postcode = forms.CharField(
        label=_("邮编"), required=False, max_length=6, validators=[postcode_validator]
    )
    city = RegionChoiceField(label=_("所在城市"), required=False)
    marketing_sms = forms.BooleanField(label=_("接收优惠活动短信（可随时退订）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].set_regions(cities_with_province(), grouped=True)


class UsernameForm(forms.Form):
    username = forms.CharField(
        label=_("新用户名"),
        max_length=20,
        help_text=_("4–20 位字母、数字或下划线，以字母开头；只能修改一次。"),
    )


class AddressForm(forms.Form):
    """Province → city → district: each select offers the children of the one above it."""

    recipient = forms.CharField(label=_("收货人"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=11, validators=[mobile_validator])
    province = RegionChoiceField(label=_("省"))
    city = RegionChoiceField(label=_("市"))
    district = RegionChoiceField(label=_("区县"))
    detail = forms.CharField(
        label=_("详细地址"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("街道、小区、楼栋、门牌号")}),
    )
    postcode = forms.CharField(
        label=_("邮编"), required=False, max_length=6, validators=[postcode_validator]
    )
    is_default = forms.BooleanField(label=_("设为默认地址"), required=False)

    def __init__(self, *args, province: str = "", city: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        provinces = list(region_provinces())
        self.fields["province"].set_regions(provinces)
        province = province if province in {p.code for p in provinces} else ""
        cities = list(region_children(code=province)) if province else []
        # A municipality (北京, 上海, 天津, 重庆) has one city row: choose it for the member.
        if len(cities) == 1:
            city = cities[0].code
        city = city if city in {c.code for c in cities} else ""
        self.fields["city"].set_regions(cities)
        self.fields["district"].set_regions(region_children(code=city) if city else [])
        self.selected = {"province": province, "city": city}


class CloseAccountForm(forms.Form):
    password = forms.CharField(label=_("登录密码"), widget=forms.PasswordInput)
    understood = forms.BooleanField(
        label=_("我已了解：注销后资料和收货地址将被清除，账户无法恢复。")
    )
