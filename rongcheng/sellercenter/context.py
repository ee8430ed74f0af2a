"""`is_store_staff` in every Jinja2 page: whether the header shows the seller-center link;
`new_order_count` for the seller center's menu badge."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from rongcheng.notifications.models import Notice
from rongcheng.notifications.selectors import notices_unread_count
from rongcheng.sellercenter.staff import memberships


def seller_center(request: HttpRequest) -> dict[str, object]:
    # Lazy: evaluated only when a page asks, and never queried for anonymous visitors.
    return {
        "is_store_staff": SimpleLazyObject(lambda: bool(memberships(request))),
        # The new-order badge of the seller-center menu (FUL-7), asked by its pages alone.
        "new_order_count": lambda: notices_unread_count(
            user=request.user, kind=Notice.Kind.NEW_ORDER
        ),
    }
