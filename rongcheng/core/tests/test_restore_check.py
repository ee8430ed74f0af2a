from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rongcheng.core.testing.factories import UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.models import Account
from rongcheng.ledger.services import post_wallet_topup


@pytest.mark.django_db
def test_a_sound_database_passes_and_shows_its_counts():
    UserFactory()
    output = StringIO()
    call_command("restore_check", stdout=output)
    lines = output.getvalue().splitlines()
    assert "ledger balances agree with their entries; every journal balances" in lines
    assert "stock rows breaking on_hand ≥ reserved ≥ 0: 0" in lines
    assert "accounts.User: 1 rows" in lines
    assert "orders.Order: 0 rows" in lines
    assert "orders.Order latest: -" in lines
    assert lines[-1] == "restore check passed"


@pytest.mark.django_db
def test_a_ledger_that_disagrees_with_its_entries_fails_the_check(member):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("10.00"))
    Account.objects.filter(pk=chart.member_wallet(member).pk).update(balance=D("15.00"))
    with pytest.raises(CommandError, match=r"ledger: 1 balance difference\(s\)"):
        call_command("restore_check", stdout=StringIO(), stderr=StringIO())
