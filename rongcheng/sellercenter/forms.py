"""Forms of the seller center. The inventory services check every rule again (tenancy,
roles, quantities); these give the pages their fields and the first messages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.inventory.selectors import STAFF_PAGE_SIZE, StockState

# More than one page of products in one request is a forged form, not a shopkeeper's choice.
MAX_BULK = STAFF_PAGE_SIZE
MAX_QUANTITY = 100_000


def _search(placeholder) -> forms.CharField:
    return forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


class ListingFilterForm(forms.Form):
    LISTED = "listed"
    UNLISTED = "unlisted"

    q = _search(_("商品名称或款号"))
    category = forms.TypedChoiceField(label=_("类目"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), (LISTED, _("在售")), (UNLISTED, _("未上架"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类目"))] + [
            (node.id, "\u3000" * node.depth + node.name) for node in category_tree().walk()
        ]

    def filters(self) -> dict:
        """The selector's arguments; a value that does not validate is left out."""
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status")
        return {
            "query": data.get("q", ""),
            "category_id": data.get("category"),
            "listed": None if not status else status == self.LISTED,
        }


class IdListField(forms.Field):
    """Checked boxes: a list of positive ids."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("选择的商品无效。"),
        "required": _("请先勾选商品。"),
        "too_many": _("一次最多选择 %(limit)s 件商品。"),
    }

    def to_python(self, value):
        if not value:
            return []
        try:
            ids = sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if ids[0] <= 0:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(ids) > MAX_BULK:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_BULK}
            )
        return ids


class ListingBulkForm(forms.Form):
    LIST = "list"
    DELIST = "delist"

    product = IdListField()
    action = forms.ChoiceField(choices=[(LIST, _("上架")), (DELIST, _("下架"))])


class StockFilterForm(forms.Form):
    q = _search(_("SKU 编码、商品名称或款号"))
    state = forms.ChoiceField(
        label=_("库存状态"), required=False, choices=[("", _("全部")), *StockState.choices]
    )

    def filters(self) -> dict:
        self.is_valid()
        return {
            "query": self.cleaned_data.get("q", ""),
            "state": self.cleaned_data.get("state", ""),
        }


class MovementFilterForm(forms.Form):
    q = _search(_("SKU 编码"))

    def filters(self) -> dict:
        self.is_valid()
        return {"query": self.cleaned_data.get("q", "")}


def _sku_code() -> forms.CharField:
    return forms.CharField(
        label=_("SKU 编码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


def _reference() -> forms.CharField:
    return forms.CharField(
        label=_("单据号"), required=False, max_length=40, help_text=_("如调拨单、盘点单编号")
    )


class ReceiveForm(forms.Form):
    """入库: goods arriving at the store."""

    prefix = "receive"

    sku = _sku_code()
    quantity = forms.IntegerField(label=_("入库数量"), min_value=1, max_value=MAX_QUANTITY)
    reference = _reference()
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class AdjustForm(forms.Form):
    """盘点调整: the count found at a stock-take differs from the books."""

    prefix = "adjust"

    sku = _sku_code()
    delta = forms.IntegerField(
        label=_("调整数量"),
        min_value=-MAX_QUANTITY,
        max_value=MAX_QUANTITY,
        help_text=_("盘盈填正数，盘亏填负数"),
    )
    note = forms.CharField(label=_("调整原因"), max_length=200)
    reference = _reference()

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise ValidationError(_("调整数量不能为零。"), code="zero")
        return delta
