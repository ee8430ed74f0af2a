"""卖家中心 home: the user's stores and the chosen store's figures."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from rongcheng.inventory.services import STOCK_ROLES
from rongcheng.inventory.stats import store_figures
from rongcheng.sellercenter.staff import load_store, require_staff


@login_required
def index(request):
    mine = require_staff(request)
    chosen = request.GET.get("store", "")
    if chosen and not chosen.isdigit():
        raise Http404
    store_id = int(chosen) if chosen else mine[0].store_id
    workplace = load_store(request, store_id, roles=STOCK_ROLES)
    context = {
        "workplace": workplace,
        "figures": store_figures(store_id=workplace.store.pk),
        "section": "overview",
    }
    return render(request, "sellercenter/index.html", context)
