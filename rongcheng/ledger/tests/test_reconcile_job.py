"""The daily reconciliation: recorded for the back office, loud when the ledger disagrees."""

import datetime
import logging
from decimal import Decimal as D

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rongcheng.accounts import roles
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.core.scheduler import EmbeddedScheduler
from rongcheng.core.testing.factories import UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.models import Account, Reconciliation
from rongcheng.ledger.reconcile import ledger_reconcile_record
from rongcheng.ledger.services import post_wallet_topup

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
NIGHT = datetime.datetime(2026, 3, 2, 3, 29, tzinfo=BEIJING)


@pytest.fixture
def member():
    member = UserFactory()
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("10.00"))
    return member


def test_a_clean_ledger_is_recorded_with_no_difference(member, caplog):
    with caplog.at_level(logging.ERROR, logger="rongcheng.ledger.reconcile"):
        run = ledger_reconcile_record(now=NIGHT)

    assert (
        run.ran_at,
        run.accounts_checked,
        run.journals_checked,
        run.balance_differences,
        run.unbalanced_journals,
        run.details,
    ) == (NIGHT, 2, 1, 0, 0, [])
    assert caplog.records == []


def test_a_tampered_cached_balance_is_recorded_and_reported(member, caplog):
    wallet = chart.member_wallet(member)
    Account.objects.filter(pk=wallet.pk).update(balance=D("15.00"))

    with caplog.at_level(logging.ERROR, logger="rongcheng.ledger.reconcile"):
        run = ledger_reconcile_record(now=NIGHT)

    line = f"account {wallet.pk} (member_wallet): balance 15.00, entries sum to 10.00"
    assert (run.balance_differences, run.unbalanced_journals, run.details) == (1, 0, [line])
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert line in record.getMessage()


def test_operations_see_the_last_run_on_the_overview_and_its_details(member, client):
    operator = staff_with_role(roles.OPERATIONS)
    client.force_login(operator)
    card = _reconciliation_card(client)
    assert (card["title"], card["value"]) == ("账务对账", "尚未对账")

    ledger_reconcile_record(now=NIGHT)
    card = _reconciliation_card(client)
    assert (card["title"], card["value"]) == ("账务对账（03-02 03:29）", "无差异")

    Account.objects.filter(pk=chart.member_wallet(member).pk).update(balance=D("15.00"))
    run = ledger_reconcile_record(now=NIGHT + datetime.timedelta(days=1))
    card = _reconciliation_card(client)
    assert (card["title"], card["value"], card["href"]) == (
        "账务对账发现差异（03-03 03:29）",
        "1 处差异",
        reverse("admin:ledger_reconciliation_change", args=[run.pk]),
    )
    page = client.get(card["href"]).content.decode()
    assert "balance 15.00, entries sum to 10.00" in page
    assert client.get(reverse("admin:ledger_reconciliation_changelist")).status_code == 200

    client.force_login(staff_with_role(roles.STORE_CLERK))
    assert client.get(reverse("admin:ledger_reconciliation_changelist")).status_code == 403
    assert _reconciliation_card(client) is None


def _reconciliation_card(client) -> dict | None:
    cards = client.get(reverse("admin:index")).context["cards"]
    found = [card for card in cards if str(card["title"]).startswith("账务对账")]
    return {key: str(value) for key, value in found[0].items()} if found else None


def test_the_job_runs_once_a_day_at_half_past_three_beijing_time(member):
    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-ledger"]
    with time_machine.travel(NIGHT, tick=False) as clock:
        scheduler = EmbeddedScheduler(
            beat_schedule={"reconcile-ledger": entry}, now=lambda: timezone.now()
        )
        scheduler.tick()
        assert not Reconciliation.objects.exists()

        clock.shift(datetime.timedelta(minutes=1))
        scheduler.tick()
        scheduler.tick()
        assert Reconciliation.objects.count() == 1

        clock.shift(datetime.timedelta(hours=23, minutes=59))
        scheduler.tick()
        assert Reconciliation.objects.count() == 1
        clock.shift(datetime.timedelta(minutes=1))
        scheduler.tick()
        assert Reconciliation.objects.count() == 2
