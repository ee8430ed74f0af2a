"""The shopping bag (ORD-1): a member's in the database, a visitor's in the session, one page
and the same actions for both. Adding comes from the product page, which the page cache
shares between visitors: its forms carry no CSRF token, so the page's script asks
`bag_token` for the cookie first."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from rongcheng.cart import session as visitor_bag
from rongcheng.cart.selectors import BagEntry, bag_view, member_bag_entries
from rongcheng.cart.services import (
    bag_line_add,
    bag_line_set_quantity,
    bag_lines_remove,
    bag_lines_select,
)
from rongcheng.core.errors import ApplicationError


def _entries(request) -> list[BagEntry]:
    if request.user.is_authenticated:
        return member_bag_entries(user=request.user)
    return visitor_bag.session_bag_entries(request.session)


def _add(request, sku_id: int, quantity: int) -> None:
    if request.user.is_authenticated:
        bag_line_add(user=request.user, sku_id=sku_id, quantity=quantity)
    else:
        visitor_bag.session_bag_add(request.session, sku_id=sku_id, quantity=quantity)


def _select(request, sku_ids: list[int], selected: bool) -> None:
    if request.user.is_authenticated:
        bag_lines_select(user=request.user, sku_ids=sku_ids, selected=selected)
    else:
        visitor_bag.session_bag_select(request.session, sku_ids=sku_ids, selected=selected)


def _posted_int(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _posted_ids(request, name: str) -> list[int]:
    return [int(value) for value in request.POST.getlist(name) if value.isdigit()]


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def bag(request):
    view = bag_view(entries=_entries(request))
    return render(request, "bag/bag.html", {"bag": view})


@require_GET
@ensure_csrf_cookie
def bag_token(request):
    """Sets the CSRF cookie for the product page's forms (the cached page carries none)."""
    return HttpResponse(status=204)


@require_POST
def bag_add(request):
    """加入购物袋 / 立即购买: the chosen SKU and quantity. Buying now ticks that line alone
    and goes to checkout (members only: a visitor signs in first, the bag follows)."""
    sku_id = _posted_int(request, "sku")
    quantity = _posted_int(request, "quantity") or 1
    if sku_id is None:
        messages.error(request, _("请选择颜色和尺码。"))
        return _back(request, "storefront:bag")
    try:
        _add(request, sku_id, quantity)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return _back(request, "storefront:bag")
    if "buy_now" in request.POST:
        others = [entry.sku_id for entry in _entries(request) if entry.sku_id != sku_id]
        _select(request, others, False)
        return redirect("storefront:checkout")
    messages.success(request, _("已加入购物袋。"))
    return redirect("storefront:bag")


@require_POST
def bag_update(request):
    """The bag page's one form: quantities, ticks and removals."""
    sku_id = _posted_int(request, "sku")
    action = request.POST.get("action", "")
    try:
        if action == "quantity" and sku_id is not None:
            quantity = _posted_int(request, "quantity") or 0
            if request.user.is_authenticated:
                bag_line_set_quantity(user=request.user, sku_id=sku_id, quantity=quantity)
            else:
                visitor_bag.session_bag_set_quantity(
                    request.session, sku_id=sku_id, quantity=quantity
                )
        elif action == "remove" and sku_id is not None:
            if request.user.is_authenticated:
                bag_lines_remove(user=request.user, sku_ids=[sku_id])
            else:
                visitor_bag.session_bag_remove(request.session, sku_ids=[sku_id])
        elif action == "tick":
            ticked = set(_posted_ids(request, "ticked"))
            every = [entry.sku_id for entry in _entries(request)]
            _select(request, [sku for sku in every if sku in ticked], True)
            _select(request, [sku for sku in every if sku not in ticked], False)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("storefront:bag")
