import pytest

from rongcheng.accounts.errors import AddressInvalid
from rongcheng.accounts.models import Address
from rongcheng.accounts.services import address_create, address_delete, address_set_default

pytestmark = pytest.mark.django_db


def _create(member, regions, **extra):
    return address_create(
        user=member,
        recipient="张三",
        phone="13900000000",
        province=regions["150000"],
        city=regions["150600"],
        district=regions["150602"],
        detail="鄂尔多斯西街 1 号",
        **extra,
    )


def test_first_address_becomes_default_and_exactly_one_stays_default(member, regions):
    first = _create(member, regions)
    second = _create(member, regions, is_default=True)
    third = _create(member, regions)
    defaults = list(Address.objects.filter(user=member, is_default=True))
    assert defaults == [second]
    address_set_default(address=third)
    assert list(Address.objects.filter(user=member, is_default=True)) == [third]
    first.refresh_from_db()
    assert first.is_default is False


def test_deleting_the_default_promotes_the_newest_remaining(member, regions):
    first = _create(member, regions)
    second = _create(member, regions)
    address_delete(address=first)
    second.refresh_from_db()
    assert second.is_default is True


def test_mismatched_regions_are_refused_and_nothing_is_written(member, regions):
    with pytest.raises(AddressInvalid):
        address_create(
            user=member,
            recipient="张三",
            phone="13900000000",
            province=regions["110000"],
            city=regions["150600"],
            district=regions["150602"],
            detail="x",
        )
    assert Address.objects.count() == 0
