"""`new_order_count` for the seller center's menu badge. (Whether the storefront's header
links the seller center is the header's own input: storefront/frame.py.)"""

from django.http import HttpRequest

from rongcheng.notifications.models import Notice
from rongcheng.notifications.selectors import notices_unread_count


def seller_center(request: HttpRequest) -> dict[str, object]:
    return {
        # The new-order badge of the seller-center menu (FUL-7), asked by its pages alone.
        "new_order_count": lambda: notices_unread_count(
            user=request.user, kind=Notice.Kind.NEW_ORDER
        ),
    }
