from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rongcheng.accounts.models import Address, User
from rongcheng.core.errors import NotFound


def address_list(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user).select_related("province", "city", "district")


def address_get(*, user: User, address_id: int) -> Address:
    """An address of this member's only; another member's address is simply not found."""
    address = address_list(user=user).filter(pk=address_id).first()
    if address is None:
        raise NotFound(_("收货地址不存在。"))
    return address
