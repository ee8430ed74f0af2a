"""我的订单 (ORD-2, ORD-4): the buyer's orders in tabs, one order with its timeline, and what
the buyer may do to it: pay, cancel or change before payment, ask to cancel after."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rongcheng.accounts.selectors import address_list
from rongcheng.core.errors import ApplicationError
from rongcheng.orders.models import CancellationRequest, Order
from rongcheng.orders.selectors import BUYER_TABS, buyer_order_detail, buyer_orders
from rongcheng.orders.services import cancellation_request, order_cancel, order_change

PER_PAGE = 10
TAB_LABELS = {
    "all": gettext_lazy("全部"),
    "awaiting_payment": gettext_lazy("待付款"),
    "awaiting_shipment": gettext_lazy("待发货"),
    "shipped": gettext_lazy("已发货"),
    "awaiting_review": gettext_lazy("待评价"),
    "refunding": gettext_lazy("退款中"),
    "closed": gettext_lazy("已关闭"),
}


@login_required
def order_list(request):
    tab = request.GET.get("tab", "all")
    if tab not in BUYER_TABS:
        tab = "all"
    page = Paginator(buyer_orders(buyer=request.user, tab=tab), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "member/orders.html",
        {"section": "orders", "tabs": TAB_LABELS, "tab": tab, "page": page},
    )


@login_required
def order_detail(request, number: str):
    order = buyer_order_detail(buyer=request.user, number=number)
    pending = next(
        (
            request
            for request in order.cancellation_requests.all()
            if request.status == CancellationRequest.Status.PENDING
        ),
        None,
    )
    unpaid = order.status == Order.Status.AWAITING_PAYMENT
    return render(
        request,
        "member/order.html",
        {
            "section": "orders",
            "order": order,
            "unpaid": unpaid,
            "pending_request": pending,
            "may_ask_cancel": order.status == Order.Status.PAID and pending is None,
            "addresses": list(address_list(user=request.user))
            if unpaid and order.delivery == "courier"
            else [],
        },
    )


def _act(request, number: str, action, done: str):
    try:
        action()
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("storefront:member_order", number=number)


@login_required
@require_POST
def order_cancel_view(request, number: str):
    return _act(
        request,
        number,
        lambda: order_cancel(buyer=request.user, number=number),
        _("订单已取消，库存已释放。"),
    )


@login_required
@require_POST
def order_change_view(request, number: str):
    address = request.POST.get("address", "")
    return _act(
        request,
        number,
        lambda: order_change(
            buyer=request.user,
            number=number,
            address_id=int(address) if address.isdigit() else None,
            note=request.POST.get("note"),
        ),
        _("订单已修改。"),
    )


@login_required
@require_POST
def order_cancel_request_view(request, number: str):
    return _act(
        request,
        number,
        lambda: cancellation_request(
            buyer=request.user, number=number, reason=request.POST.get("reason", "")
        ),
        _("取消申请已提交，门店处理后将原路退款。"),
    )
