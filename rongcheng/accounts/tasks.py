"""Celery tasks of the accounts app: thin wrappers around its services."""

from celery import shared_task

from rongcheng.accounts.verification import sms_codes_purge_expired


@shared_task
def purge_expired_sms_codes() -> int:
    return sms_codes_purge_expired()
