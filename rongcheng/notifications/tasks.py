from celery import shared_task

from rongcheng.notifications.campaigns import campaigns_send_due


@shared_task
def send_due_sms_campaigns() -> int:
    return campaigns_send_due()
