"""到货通知 (OOS-1): the registration form for a sold-out SKU and the member's registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.catalog.models import Sku
from rongcheng.core.errors import ApplicationError
from rongcheng.regions.models import Region
from rongcheng.restock.models import Registration
from rongcheng.restock.selectors import member_registrations
from rongcheng.restock.services import QUANTITY_MAX, restock_cancel, restock_register


def _cities():
    return Region.objects.filter(level=Region.Level.CITY).order_by("pinyin").only("code", "name")


@login_required
def restock_form(request, sku_id: int):
    sku = get_object_or_404(Sku.objects.select_related("product"), id=sku_id)
    values = {
        "city": request.city.code if request.city else "",
        "quantity": "1",
        "mobile": request.user.mobile or "",
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "")[:20] for name in values}
        quantity = values["quantity"]
        try:
            restock_register(
                member=request.user,
                sku_id=sku.id,
                city_code=values["city"],
                quantity=int(quantity) if quantity.isdigit() else 0,
                mobile=values["mobile"],
                consent=request.POST.get("consent") == "on",
            )
            messages.success(request, _("登记成功，到货后会第一时间通知您。"))
            return redirect("storefront:member_restock")
        except ApplicationError as error:
            messages.error(request, str(error.message))
    return render(
        request,
        "community/restock_form.html",
        {"sku": sku, "values": values, "cities": _cities(), "quantity_max": QUANTITY_MAX},
    )


@login_required
def my_registrations(request):
    page = member_registrations(member=request.user, page=request.GET.get("page", "1"))
    return render(
        request,
        "member/restock.html",
        {"section": "restock", "page": page, "closed": Registration.State.CLOSED},
    )


@login_required
@require_POST
def registration_cancel(request, registration_id: int):
    try:
        restock_cancel(member=request.user, registration_id=registration_id)
        messages.success(request, _("已取消到货通知。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("storefront:member_restock")
