"""Reading 到货通知 registrations: the member's own, the back office's search and filters,
and a store's for its staff (tenancy through access_store)."""

from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.core.dates import day_start
from rongcheng.inventory.models import StoreListing
from rongcheng.restock.errors import RegistrationNotFound
from rongcheng.restock.models import Registration
from rongcheng.stores.access import access_store
from rongcheng.stores.models import StoreMembership
from rongcheng.stores.selectors import SHOP_KINDS

PER_PAGE = 20
# Who follows registrations up for a store: the roles that talk to shoppers and take orders.
STORE_ROLES = (StoreMembership.Role.MANAGER, StoreMembership.Role.CLERK)


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


def _store_scope(*, actor: User, store_id: int) -> tuple[Q, Q]:
    """What a store's staff see, and what they act on: the registrations whose goods arrived
    in the store (theirs to follow up), and the waiting ones of the store's city for goods it
    lists (the demand it could meet; every shop of the city sees them, none acts on them)."""
    store = access_store(user=actor, store_id=store_id, roles=STORE_ROLES)
    arrived_here = Q(arrived_store=store)
    if store.kind not in SHOP_KINDS:
        return arrived_here, arrived_here
    listed = StoreListing.objects.filter(store=store, is_listed=True).values("product_id")
    waiting_nearby = Q(
        state=Registration.State.WAITING, city_id=store.city_id, product_id__in=listed
    )
    return arrived_here | waiting_nearby, arrived_here


def store_registrations(
    *, actor: User, store_id: int, state: str = "", query: str = "", page: int | str = 1
) -> Page:
    """A store's registrations for its staff, newest first, by state and product or SKU code."""
    seen, _acts = _store_scope(actor=actor, store_id=store_id)
    rows = registrations_search(query=query, state=state).filter(seen)
    return Paginator(rows, PER_PAGE).get_page(page)


def store_registration(*, actor: User, store_id: int, registration_id: int) -> Registration:
    """A registration the store may act on (its goods arrived there); anything else, another
    store's included, is not found."""
    _seen, acts = _store_scope(actor=actor, store_id=store_id)
    registration = Registration.objects.filter(acts, id=registration_id).first()
    if registration is None:
        raise RegistrationNotFound(_("没有这条到货通知登记。"))
    return registration
