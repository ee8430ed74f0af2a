import time
import uuid
from datetime import timedelta

import pytest
from celery._state import _set_task_join_will_block
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.tasks import purge_expired_sms_codes


def make_codes(now):
    """Two codes expired more than a day ago (past every limit window), two recent ones."""
    day_ago = now - timedelta(days=1)
    rows = [
        ("13900000001", day_ago - timedelta(hours=3)),
        ("13900000002", day_ago - timedelta(minutes=1)),
        ("13900000004", now - timedelta(minutes=5)),
        ("13900000005", now + timedelta(minutes=9)),
    ]
    for mobile, expires_at in rows:
        SmsCode.objects.create(
            mobile=mobile,
            purpose=SmsCode.Purpose.LOGIN,
            code_hash="0" * 64,
            created_at=expires_at - timedelta(minutes=10),
            expires_at=expires_at,
        )


def remaining():
    return sorted(SmsCode.objects.values_list("mobile", flat=True))


@pytest.mark.django_db
def test_task_purges_codes_past_every_limit_window():
    make_codes(timezone.now())
    assert purge_expired_sms_codes.delay().get() == 2
    assert remaining() == ["13900000004", "13900000005"]


@pytest.fixture
def worker_queue():
    """A Celery worker on the Redis broker, consuming a queue of its own.

    The worker's pool marks this process as one where joining a task would block, and leaves
    the mark when it stops; later tests in the process call `.delay().get()` and need it off.
    """
    queue = f"test-{uuid.uuid4().hex}"
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield queue
    finally:
        app.conf.task_always_eager = True
        _set_task_join_will_block(False)


@pytest.mark.redis
def test_a_celery_worker_on_redis_runs_the_purge(transactional_db, worker_queue):
    make_codes(timezone.now())
    purge_expired_sms_codes.apply_async(queue=worker_queue)
    deadline = time.monotonic() + 30
    while SmsCode.objects.filter(mobile__lte="13900000002").exists():
        assert time.monotonic() < deadline, "the worker did not purge the expired codes"
        time.sleep(0.1)
    assert remaining() == ["13900000004", "13900000005"]
