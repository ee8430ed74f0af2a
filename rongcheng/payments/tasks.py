"""Celery tasks of the payments app: thin wrappers around its services."""

from celery import shared_task

from rongcheng.payments.services import payment_query_pending, payment_refunds_retry


@shared_task
def query_pending_payments() -> int:
    return payment_query_pending()


@shared_task
def retry_refunds() -> int:
    return payment_refunds_retry()
