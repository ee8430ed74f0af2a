"""Periodic jobs of the order lifecycle: thin wrappers around its services."""

from celery import shared_task

from rongcheng.orders.services import cancellations_accept_overdue, orders_close_unpaid


@shared_task
def close_unpaid_orders() -> int:
    return orders_close_unpaid()


@shared_task
def accept_overdue_cancellations() -> int:
    return cancellations_accept_overdue()
