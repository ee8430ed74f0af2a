"""Re-derive every account's balance from its entries and check every journal balances.

Exits with an error (status 1) listing each difference; prints a summary when all agree.
"""

from django.core.management.base import BaseCommand, CommandError

from rongcheng.ledger.selectors import balance_differences, unbalanced_journals


class Command(BaseCommand):
    help = "Re-derive ledger balances from the entries and report any difference."

    def handle(self, *args, **options):
        differences = balance_differences()
        unbalanced = unbalanced_journals()
        for row in differences:
            self.stderr.write(
                f"account {row.account_id} ({row.kind}): balance {row.stored}, "
                f"entries sum to {row.derived}"
            )
        for row in unbalanced:
            self.stderr.write(f"journal {row.journal_id}: {row.unit} entries sum to {row.total}")
        if differences or unbalanced:
            raise CommandError(
                f"{len(differences)} balance difference(s), {len(unbalanced)} unbalanced journal(s)"
            )
        self.stdout.write("ledger balances agree with their entries; every journal balances")
