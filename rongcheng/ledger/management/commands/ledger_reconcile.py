"""Re-derive every account's balance from its entries and check every journal balances.

Exits with an error (status 1) listing each difference; prints a summary when all agree. The
daily job (`ledger.tasks.reconcile_ledger`) runs the same check and records it.
"""

from django.core.management.base import BaseCommand, CommandError

from rongcheng.ledger.reconcile import ledger_check


class Command(BaseCommand):
    help = "Re-derive ledger balances from the entries and report any difference."

    def handle(self, *args, **options):
        findings = ledger_check()
        for line in findings.lines():
            self.stderr.write(line)
        if not findings.clean:
            raise CommandError(
                f"{len(findings.differences)} balance difference(s), "
                f"{len(findings.unbalanced)} unbalanced journal(s)"
            )
        self.stdout.write("ledger balances agree with their entries; every journal balances")
