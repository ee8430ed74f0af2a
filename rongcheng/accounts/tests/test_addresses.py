import pytest

from rongcheng.accounts.errors import AddressInvalid, AddressLimitReached
from rongcheng.accounts.models import Address
from rongcheng.accounts.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
)

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


def test_an_update_from_a_stale_copy_keeps_exactly_one_default(member, regions):
    first = _create(member, regions)
    stale_copy = Address.objects.get(pk=first.pk)  # read while it is the default
    second = _create(member, regions)
    address_set_default(address=second)
    address_update(address=stale_copy, detail="鄂尔多斯西街 2 号")
    assert list(Address.objects.filter(user=member, is_default=True)) == [second]
    assert Address.objects.get(pk=first.pk).detail == "鄂尔多斯西街 2 号"


def test_deleting_from_a_stale_copy_of_the_new_default_still_promotes(member, regions):
    first = _create(member, regions)
    second = _create(member, regions)
    stale_copy = Address.objects.get(pk=second.pk)  # read while not the default
    address_set_default(address=second)
    address_delete(address=stale_copy)
    assert list(Address.objects.filter(user=member, is_default=True)) == [first]


def test_update_with_is_default_moves_the_default(member, regions):
    first = _create(member, regions)
    second = _create(member, regions)
    address_update(address=second, is_default=True)
    first.refresh_from_db()
    assert (first.is_default, Address.objects.get(pk=second.pk).is_default) == (False, True)


def test_update_can_move_an_address_to_a_municipality(member, regions):
    address = _create(member, regions)
    address_update(
        address=address,
        province=regions["110000"],
        city=regions["110100"],
        district=regions["110101"],
    )
    address.refresh_from_db()
    assert (address.province_id, address.city_id, address.district_id) == (
        "110000",
        "110100",
        "110101",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient": "  "}, "recipient"),
        ({"phone": "1390000000"}, "phone"),
        ({"phone": "23900000000"}, "phone"),
        ({"detail": ""}, "detail"),
        ({"postcode": "12345"}, "postcode"),
    ],
)
def test_bad_address_input_writes_nothing(member, regions, changes, field):
    address = _create(member, regions)
    before = Address.objects.filter(pk=address.pk).values().get()
    with pytest.raises(AddressInvalid) as caught:
        address_update(address=address, **changes)
    assert caught.value.field == field
    assert Address.objects.filter(pk=address.pk).values().get() == before
    values = {"recipient": "张三", "phone": "13900000000", "detail": "东胜区 1 号", **changes}
    with pytest.raises(AddressInvalid):
        address_create(
            user=member,
            province=regions["150000"],
            city=regions["150600"],
            district=regions["150602"],
            **values,
        )
    assert Address.objects.count() == 1


def test_the_address_book_has_a_limit(member, regions, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "ADDRESS_BOOK_LIMIT": 2}
    _create(member, regions)
    _create(member, regions)
    with pytest.raises(AddressLimitReached):
        _create(member, regions, is_default=True)
    assert Address.objects.filter(user=member).count() == 2
    assert Address.objects.filter(user=member, is_default=True).count() == 1
