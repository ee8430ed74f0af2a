"""Reading 到货通知 registrations: the member's own, and the staff's search and filters."""

from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from rongcheng.accounts.models import User
from rongcheng.core.dates import day_start
from rongcheng.restock.models import Registration

PER_PAGE = 20


def member_registrations(*, member: User, page: int | str = 1) -> Page:
    rows = Registration.objects.filter(member=member).select_related("product", "sku", "city")
    return Paginator(rows, PER_PAGE).get_page(page)


def registrations_search(
    *,
    query: str = "",
    sku_id: int | None = None,
    city_code: str = "",
    state: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Registration]:
    """Staff's filters: product (name or style code) or SKU code, SKU, city, state, and the
    day range registered (days in the site's calendar)."""
    rows = Registration.objects.select_related("member", "product", "sku", "city", "arrived_store")
    if query:
        rows = rows.filter(
            Q(product__name__icontains=query)
            | Q(product__style_code__iexact=query)
            | Q(sku__code__iexact=query)
        )
    if sku_id is not None:
        rows = rows.filter(sku_id=sku_id)
    if city_code:
        rows = rows.filter(city_id=city_code)
    if state:
        rows = rows.filter(state=state)
    if since is not None:
        rows = rows.filter(created_at__gte=day_start(since))
    if until is not None:
        rows = rows.filter(created_at__lt=day_start(until + timedelta(days=1)))
    return rows
