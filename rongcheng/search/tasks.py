"""Periodic jobs of the search index: thin wrappers around its services."""

from celery import shared_task

from rongcheng.search.services import product_counters_refresh


@shared_task
def refresh_product_counters() -> int:
    return product_counters_refresh()
