from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rongcheng.accounts.models import Address, ConsentRecord, User
from rongcheng.core.errors import NotFound


def address_list(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user).select_related("province", "city", "district")


def address_get(*, user: User, address_id: int) -> Address:
    """An address of this member's only; another member's address is simply not found."""
    address = address_list(user=user).filter(pk=address_id).first()
    if address is None:
        raise NotFound(_("收货地址不存在。"))
    return address


def consent_history(*, user: User) -> QuerySet[ConsentRecord]:
    """Every consent given or withdrawn, newest first."""
    return ConsentRecord.objects.filter(user=user).order_by("-created_at", "-pk")


def consent_latest(*, user: User, purpose: str) -> ConsentRecord | None:
    return consent_history(user=user).filter(purpose=purpose).first()


def consent_current(*, user: User, purpose: str) -> bool:
    """The member's present choice for one purpose: the latest record; none means no."""
    latest = consent_latest(user=user, purpose=purpose)
    return latest is not None and latest.granted
