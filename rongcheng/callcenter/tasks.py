"""Celery tasks of the call center: thin wrappers around its services."""

from celery import shared_task
from django.utils import timezone

from rongcheng.callcenter import timers
from rongcheng.callcenter.workspace import engine


@shared_task
def callcenter_tick() -> int:
    ticked = timers.tick(engine=engine(), now=timezone.now())
    return sum(
        map(
            len,
            (
                ticked.overflowed,
                ticked.wrap_ups_ended,
                ticked.rang_out,
                ticked.announced,
                ticked.called_back,
            ),
        )
    )
