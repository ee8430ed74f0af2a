"""Reconciling the ledger: every cached balance re-derived from its entries, every journal
checked to balance. `manage.py ledger_reconcile` prints the result; the daily job records it
(`Reconciliation`) for the back office and tells operations when anything differs."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from rongcheng.ledger.models import Account, Journal, Reconciliation
from rongcheng.ledger.selectors import (
    BalanceDifference,
    UnbalancedJournal,
    balance_differences,
    unbalanced_journals,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Findings:
    differences: list[BalanceDifference]
    unbalanced: list[UnbalancedJournal]

    @property
    def clean(self) -> bool:
        return not self.differences and not self.unbalanced

    def lines(self) -> list[str]:
        return [
            *(
                f"account {row.account_id} ({row.kind}): balance {row.stored}, "
                f"entries sum to {row.derived}"
                for row in self.differences
            ),
            *(
                f"journal {row.journal_id}: {row.unit} entries sum to {row.total}"
                for row in self.unbalanced
            ),
        ]


def ledger_check() -> Findings:
    return Findings(differences=balance_differences(), unbalanced=unbalanced_journals())


def ledger_reconcile_record(*, now: datetime | None = None) -> Reconciliation:
    """Run the reconciliation and record it; any difference is logged as an error, which
    reaches operations through the error reporting, and shows on the back office's overview."""
    findings = ledger_check()
    run = Reconciliation.objects.create(
        ran_at=now or timezone.now(),
        accounts_checked=Account.objects.count(),
        journals_checked=Journal.objects.count(),
        balance_differences=len(findings.differences),
        unbalanced_journals=len(findings.unbalanced),
        details=findings.lines(),
    )
    if not findings.clean:
        logger.error(
            "Ledger reconciliation %s: %s balance difference(s), %s unbalanced journal(s): %s",
            run.pk,
            run.balance_differences,
            run.unbalanced_journals,
            "; ".join(run.details),
        )
    return run
