"""Periodic jobs of the ledger: thin wrappers around its services."""

from celery import shared_task

from rongcheng.ledger.reconcile import ledger_reconcile_record


@shared_task
def reconcile_ledger() -> int:
    """Returns the number of differences found (0 when the ledger agrees)."""
    return ledger_reconcile_record().differences
