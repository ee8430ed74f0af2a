"""现金收款 (FUL-1, SELL-2): a clerk finds a buyer's unpaid checkout that the store ships, by
an order number or the buyer's mobile, checks its goods and amount, and records the cash
received. Only managers and clerks of the store; another store's checkout is not found."""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.checkout.counter import CASH_ROLES, checkout_pay_cash, counter_checkouts
from rongcheng.checkout.errors import CounterNotFound
from rongcheng.core.errors import ApplicationError
from rongcheng.sellercenter.staff import load_store

QUERY_MAX = 40


@login_required
def counter(request, store_id: int):
    workplace = load_store(request, store_id, roles=CASH_ROLES)
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    found = counter_checkouts(actor=request.user, store_id=workplace.store.pk, query=query)
    return render(
        request,
        "sellercenter/cash.html",
        {"workplace": workplace, "section": "cash", "query": query, "found": found},
    )


def _amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount == amount.quantize(Decimal("0.01")) else None


@login_required
@require_POST
def counter_pay(request, store_id: int, number: str):
    """收取现金 for one checkout; the page comes back to the same search. A checkout that is
    not the store's answers 404 (through CounterNotFound) and nothing changes."""
    workplace = load_store(request, store_id, roles=CASH_ROLES)
    amount = _amount(request.POST.get("amount", ""))
    if amount is None:
        messages.error(request, _("请输入收到的现金金额（元，最多两位小数）。"))
    else:
        try:
            checkout_pay_cash(
                actor=request.user,
                store_id=workplace.store.pk,
                checkout_number=number,
                amount=amount,
            )
        except CounterNotFound:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("已收取现金 ¥%(amount)s，结算单 %(number)s 已付款。")
                % {"amount": amount, "number": number},
            )
    url = reverse("sellercenter:cash", args=[workplace.store.pk])
    query = request.POST.get("q", "").strip()[:QUERY_MAX]
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
