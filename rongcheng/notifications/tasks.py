from celery import shared_task

from rongcheng.notifications.campaigns import campaigns_send_due, deliveries_sweep_stuck


@shared_task
def send_due_sms_campaigns() -> int:
    return campaigns_send_due()


@shared_task
def sweep_stuck_sms_deliveries() -> tuple[int, int]:
    return deliveries_sweep_stuck()
