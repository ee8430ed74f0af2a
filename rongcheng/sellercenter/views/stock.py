"""库存: stock query per SKU (FUL-11), receipts (入库), stock-take corrections (盘点调整) and
the store's stock journal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.inventory.selectors import sku_id_for_code, store_movements, store_stock
from rongcheng.inventory.services import STOCK_ROLES, stock_adjust, stock_receive
from rongcheng.sellercenter.forms import (
    AdjustForm,
    MovementFilterForm,
    ReceiveForm,
    StockFilterForm,
)
from rongcheng.sellercenter.staff import Workplace, load_store
from rongcheng.sellercenter.views.common import filter_query, page_number, show_error


def _stock_page(request, workplace: Workplace, *, receive=None, adjust=None, status=200):
    form = StockFilterForm(request.GET)
    sku = request.GET.get("sku", "")[:40]
    context = {
        "workplace": workplace,
        "form": form,
        "page": store_stock(
            store_id=workplace.store.pk, page=page_number(request), **form.filters()
        ),
        "query": filter_query(request.GET),
        "receive": receive or ReceiveForm(initial={"sku": sku}),
        "adjust": adjust or AdjustForm(initial={"sku": sku}),
        "section": "stock",
    }
    return render(request, "sellercenter/stock.html", context, status=status)


@login_required
def stock(request, store_id: int):
    return _stock_page(request, load_store(request, store_id, roles=STOCK_ROLES))


def _sku_id(form) -> int | None:
    sku_id = sku_id_for_code(code=form.cleaned_data["sku"])
    if sku_id is None:
        form.add_error("sku", _("没有这个 SKU 编码。"))
    return sku_id


def _after_change(workplace: Workplace, code: str):
    """Back to the stock list showing the SKU just changed, with its new numbers."""
    target = reverse("sellercenter:stock", args=[workplace.store.pk])
    return redirect(f"{target}?{urlencode({'q': code})}")


@login_required
@require_POST
def stock_receive_view(request, store_id: int):
    workplace = load_store(request, store_id, roles=STOCK_ROLES)
    form = ReceiveForm(request.POST)
    if form.is_valid() and (sku_id := _sku_id(form)) is not None:
        data = form.cleaned_data
        try:
            units = stock_receive(
                actor=request.user,
                store_id=workplace.store.pk,
                lines=[(sku_id, data["quantity"])],
                reference=data["reference"],
                note=data["note"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("已入库 %(code)s × %(units)s。") % {"code": data["sku"], "units": units}
            )
            return _after_change(workplace, data["sku"])
    return _stock_page(request, workplace, receive=form, status=400)


@login_required
@require_POST
def stock_adjust_view(request, store_id: int):
    workplace = load_store(request, store_id, roles=STOCK_ROLES)
    form = AdjustForm(request.POST)
    if form.is_valid() and (sku_id := _sku_id(form)) is not None:
        data = form.cleaned_data
        try:
            row = stock_adjust(
                actor=request.user,
                store_id=workplace.store.pk,
                sku_id=sku_id,
                delta=data["delta"],
                note=data["note"],
                reference=data["reference"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("已调整 %(code)s %(delta)+d，现在库 %(on_hand)s。")
                % {"code": data["sku"], "delta": data["delta"], "on_hand": row.on_hand},
            )
            return _after_change(workplace, data["sku"])
    return _stock_page(request, workplace, adjust=form, status=400)


@login_required
def movements(request, store_id: int):
    workplace = load_store(request, store_id, roles=STOCK_ROLES)
    form = MovementFilterForm(request.GET)
    context = {
        "workplace": workplace,
        "form": form,
        "page": store_movements(
            store_id=workplace.store.pk, page=page_number(request), **form.filters()
        ),
        "query": filter_query(request.GET),
        "section": "movements",
    }
    return render(request, "sellercenter/movements.html", context)
