"""到货通知 in the seller center (OOS-1): the registrations for the store's goods, by state
and product or SKU code; for those whose goods arrived in the store, staff note the contact
with the member, order at today's price (a pick-up here, paid by the member) or close them.
Another store's registration answers 404 and nothing changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.restock.models import Registration
from rongcheng.restock.selectors import STORE_ROLES, store_registration, store_registrations
from rongcheng.restock.services import (
    OPEN_STATES,
    restock_close,
    restock_mark_contacted,
    restock_order_create,
)
from rongcheng.sellercenter.staff import load_store
from rongcheng.sellercenter.views.common import filter_query, page_number

NOTE_MAX = 200


@login_required
def registration_list(request, store_id: int):
    workplace = load_store(request, store_id, roles=STORE_ROLES)
    state = request.GET.get("state", "")
    if state not in Registration.State.values:
        state = ""
    query = request.GET.get("q", "").strip()[:50]
    page = store_registrations(
        actor=request.user,
        store_id=workplace.store.pk,
        state=state,
        query=query,
        page=page_number(request),
    )
    return render(
        request,
        "sellercenter/restock.html",
        {
            "workplace": workplace,
            "section": "restock",
            "page": page,
            "states": Registration.State.choices,
            "state": state,
            "q": query,
            "query": filter_query(request.GET),
            "open_states": OPEN_STATES,
            "note_max": NOTE_MAX,
        },
    )


def _order(registration_id: int, note: str) -> str:
    number = restock_order_create(registration_id=registration_id)
    return _("已按现价下单（结算单 %(number)s），会员在“我的订单”中付款。") % {"number": number}


def _contacted(registration_id: int, note: str) -> str:
    restock_mark_contacted(registration_id=registration_id, note=note)
    return _("已标记为已联系。")


def _close(registration_id: int, note: str) -> str:
    restock_close(registration_id=registration_id, note=note)
    return _("登记已关闭。")


ACTIONS = {"contacted": _contacted, "order": _order, "close": _close}


@login_required
@require_POST
def registration_action(request, store_id: int, registration_id: int, action: str):
    """已联系, 按现价下单 or 关闭 on a registration whose goods arrived in this store."""
    workplace = load_store(request, store_id, roles=STORE_ROLES)
    # Not found (another store's, or one still waiting) escapes as a 404.
    registration = store_registration(
        actor=request.user, store_id=workplace.store.pk, registration_id=registration_id
    )
    try:
        done = ACTIONS[action](registration.pk, request.POST.get("note", "")[:NOTE_MAX])
        messages.success(request, done)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    back = redirect("sellercenter:restock", store_id=workplace.store.pk)
    if query := filter_query(request.POST):
        back["Location"] += f"?{query}"
    return back
