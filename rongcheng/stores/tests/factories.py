from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from rongcheng.core.testing.factories import UserFactory
from rongcheng.stores.models import Store, StoreMembership


class StoreFactory(DjangoModelFactory):
    """Needs `city` (a Region of level CITY), e.g. from the `regions` fixture."""

    class Meta:
        model = Store

    code = factory.Sequence(lambda n: f"s{n:04d}")
    name = factory.Sequence(lambda n: f"测试门店{n}")
    kind = Store.Kind.DIRECT
    address = "鄂尔多斯西街 1 号"
    latitude = Decimal("39.608266")
    longitude = Decimal("109.781327")
    phone = "0477-8500000"


class StoreMembershipFactory(DjangoModelFactory):
    class Meta:
        model = StoreMembership

    store = factory.SubFactory(StoreFactory)
    # Staff in these tests never log in: skip the (deliberately slow) password hashing.
    user = factory.SubFactory(UserFactory, password=None)
    role = StoreMembership.Role.CLERK
