"""Checks a database after a restore (docs/operations.md): the ledger agrees with its entries,
no stock row breaks its rules, and the counts and latest rows show which moment it holds.

Exits with status 1 when a check fails; the counts are printed either way, to compare with
the figures noted when the backup was taken.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Max, Q

COUNTED = (
    "accounts.User",
    "orders.Order",
    "orders.OrderLine",
    "ledger.Journal",
    "ledger.Entry",
    "inventory.Stock",
    "inventory.StockMovement",
    "payments.Payment",
)
# The newest row of these dates the restored data.
LATEST = ("orders.Order", "ledger.Journal", "inventory.StockMovement")
BROKEN_STOCK = Q(on_hand__lt=0) | Q(reserved__lt=0) | Q(reserved__gt=F("on_hand"))


class Command(BaseCommand):
    help = "Check a restored database: ledger, stock rules, row counts and latest rows."

    def handle(self, *args, **options):
        failures = []
        try:
            call_command("ledger_reconcile", stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            failures.append(f"ledger: {error}")
        broken = apps.get_model("inventory.Stock").objects.filter(BROKEN_STOCK).count()
        self.stdout.write(f"stock rows breaking on_hand ≥ reserved ≥ 0: {broken}")
        if broken:
            failures.append(f"stock: {broken} row(s) break their rules")
        for label in COUNTED:
            count = apps.get_model(label).objects.count()
            self.stdout.write(f"{label}: {count} rows")
        for label in LATEST:
            latest = apps.get_model(label).objects.aggregate(latest=Max("created_at"))["latest"]
            self.stdout.write(f"{label} latest: {latest.isoformat() if latest else '-'}")
        if failures:
            raise CommandError("; ".join(failures))
        self.stdout.write("restore check passed")
