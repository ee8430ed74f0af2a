"""`is_store_staff` in every Jinja2 page: whether the header shows the seller-center link."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from rongcheng.sellercenter.staff import memberships


def seller_center(request: HttpRequest) -> dict[str, object]:
    # Lazy: evaluated only when a page asks, and never queried for anonymous visitors.
    return {"is_store_staff": SimpleLazyObject(lambda: bool(memberships(request)))}
