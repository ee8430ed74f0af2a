"""商品上下架: the platform catalogue with the store's listing state (ROLE-4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.inventory.selectors import store_catalogue
from rongcheng.inventory.services import LISTING_ROLES, listing_set
from rongcheng.sellercenter.forms import ListingBulkForm, ListingFilterForm
from rongcheng.sellercenter.staff import load_store
from rongcheng.sellercenter.views.common import filter_query, page_number


@login_required
def listings(request, store_id: int):
    workplace = load_store(request, store_id, roles=LISTING_ROLES)
    form = ListingFilterForm(request.GET)
    page = store_catalogue(store_id=workplace.store.pk, page=page_number(request), **form.filters())
    context = {
        "workplace": workplace,
        "form": form,
        "page": page,
        "query": filter_query(request.GET),
        "section": "listings",
    }
    return render(request, "sellercenter/listings.html", context)


@login_required
@require_POST
def listings_update(request, store_id: int):
    """List or delist the checked products, then back to the same filtered page."""
    workplace = load_store(request, store_id, roles=LISTING_ROLES)
    form = ListingBulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        listed = form.cleaned_data["action"] == ListingBulkForm.LIST
        try:
            changed = listing_set(
                actor=request.user,
                store_id=workplace.store.pk,
                product_ids=form.cleaned_data["product"],
                listed=listed,
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            text = (
                ngettext("已上架 %(count)s 件商品。", "已上架 %(count)s 件商品。", changed)
                if listed
                else ngettext("已下架 %(count)s 件商品。", "已下架 %(count)s 件商品。", changed)
            )
            if changed:
                messages.success(request, text % {"count": changed})
            else:
                messages.info(request, _("所选商品已是该状态，未做改动。"))
    back = QueryDict(request.POST.get("back", ""))
    query = filter_query(back)
    page = back.get("page", "")
    if page.isdigit():
        query = f"{query}&page={page}" if query else f"page={page}"
    target = reverse("sellercenter:listings", args=[workplace.store.pk])
    return redirect(f"{target}?{query}" if query else target)
