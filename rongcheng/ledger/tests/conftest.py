from decimal import Decimal

import pytest

from rongcheng.ledger import chart
from rongcheng.ledger.models import Account, Entry, Journal
from rongcheng.stores.tests.factories import StoreFactory


@pytest.fixture
def shops(regions):
    """Two stores in Ordos."""
    return StoreFactory(city=regions["150600"], code="a"), StoreFactory(
        city=regions["150600"], code="b"
    )


def balances(*accounts: Account) -> list[Decimal]:
    return [Account.objects.get(pk=account.pk).balance for account in accounts]


def ledger_size() -> tuple[int, int]:
    return Journal.objects.count(), Entry.objects.count()


def wallet_of(member) -> Decimal:
    return chart.member_wallet(member).balance
