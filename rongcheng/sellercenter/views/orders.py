"""订单管理 (FUL-7, FUL-8): the store's orders by state and the three-month split, one order,
and the answer to a buyer's cancellation request. Only the store's own staff: another store's
order answers 404 and nothing changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.notifications.models import Notice
from rongcheng.notifications.services import notices_mark_read
from rongcheng.orders.models import CancellationRequest
from rongcheng.orders.selectors import STORE_STATES, store_order_detail, store_orders
from rongcheng.orders.services import ORDER_ROLES, cancellation_accept, cancellation_refuse
from rongcheng.sellercenter.staff import load_store
from rongcheng.sellercenter.views.common import page_number

PER_PAGE = 20
STATE_LABELS = {
    "recent": gettext_lazy("近三个月订单"),
    "awaiting_payment": gettext_lazy("等待买家付款"),
    "awaiting_shipment": gettext_lazy("买家已付款"),
    "shipped": gettext_lazy("卖家已发货"),
    "refunding": gettext_lazy("退款中"),
    "awaiting_review": gettext_lazy("需要评价"),
    "successful": gettext_lazy("成功的订单"),
    "closed": gettext_lazy("关闭的订单"),
    "older": gettext_lazy("三个月前订单"),
}


@login_required
def order_list(request, store_id: int):
    workplace = load_store(request, store_id, roles=ORDER_ROLES)
    state = request.GET.get("state", "recent")
    if state not in STORE_STATES:
        state = "recent"
    orders = store_orders(actor=request.user, store_id=workplace.store.pk, state=state)
    page = Paginator(orders, PER_PAGE).get_page(page_number(request))
    return render(
        request,
        "sellercenter/orders.html",
        {
            "workplace": workplace,
            "section": "orders",
            "states": STATE_LABELS,
            "state": state,
            "page": page,
            "query": f"state={state}",
        },
    )


@login_required
def order_detail(request, store_id: int, number: str):
    workplace = load_store(request, store_id, roles=ORDER_ROLES)
    order = store_order_detail(actor=request.user, store_id=workplace.store.pk, number=number)
    notices_mark_read(user_id=request.user.pk, kind=Notice.Kind.NEW_ORDER, reference=number)
    pending = next(
        (
            item
            for item in order.cancellation_requests.all()
            if item.status == CancellationRequest.Status.PENDING
        ),
        None,
    )
    return render(
        request,
        "sellercenter/order.html",
        {"workplace": workplace, "section": "orders", "order": order, "pending": pending},
    )


@login_required
@require_POST
def cancellation_answer(request, store_id: int, number: str):
    """同意 or 拒绝 the order's pending cancellation request."""
    workplace = load_store(request, store_id, roles=ORDER_ROLES)
    order = store_order_detail(actor=request.user, store_id=workplace.store.pk, number=number)
    pending = order.cancellation_requests.filter(status=CancellationRequest.Status.PENDING).first()
    try:
        if pending is None:
            messages.error(request, _("该订单没有待处理的取消申请。"))
        elif request.POST.get("answer") == "accept":
            cancellation_accept(
                actor=request.user, store_id=workplace.store.pk, request_id=pending.pk
            )
            messages.success(request, _("已同意取消，货款将原路退回买家。"))
        else:
            cancellation_refuse(
                actor=request.user,
                store_id=workplace.store.pk,
                request_id=pending.pk,
                answer=request.POST.get("reason", ""),
            )
            messages.success(request, _("已拒绝取消申请。"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("sellercenter:order", store_id=workplace.store.pk, number=number)
