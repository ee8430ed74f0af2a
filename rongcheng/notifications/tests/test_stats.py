from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.stats import sandbox_sms_sent_today

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_sms(*moments: datetime) -> None:
    for i, sent_at in enumerate(moments):
        sms = SandboxSms.objects.create(
            mobile="13900000000",
            sign_name="绒城购",
            template_code="SMS_1",
            params={},
            content="验证码",
            biz_id=f"biz-{i}",
        )
        SandboxSms.objects.filter(pk=sms.pk).update(sent_at=sent_at)


def test_sms_sent_since_local_midnight():
    make_sms(
        datetime(2026, 3, 10, 0, 0, tzinfo=SHANGHAI),
        datetime(2026, 3, 10, 8, 30, tzinfo=SHANGHAI),
        datetime(2026, 3, 9, 23, 59, tzinfo=SHANGHAI),
    )
    now = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    assert sandbox_sms_sent_today(now=now) == 2


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), 2),
        (datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), 1),
        (datetime(2026, 12, 31, 15, 59, tzinfo=UTC), 2),
        (datetime(2026, 12, 31, 16, 1, tzinfo=UTC), 1),
    ],
)
def test_today_turns_at_midnight_in_shanghai_whatever_the_active_time_zone(now, expected):
    make_sms(
        datetime(2026, 12, 30, 23, 50, tzinfo=SHANGHAI),
        datetime(2026, 12, 31, 0, 10, tzinfo=SHANGHAI),
        datetime(2026, 12, 31, 15, 20, tzinfo=UTC),  # 23:20 in Shanghai
        datetime(2026, 12, 31, 16, 0, tzinfo=UTC),  # midnight in Shanghai
    )
    SandboxSms.objects.filter(sent_at__gt=now).delete()  # nothing is sent in the future
    with time_machine.travel(now, tick=False), timezone.override(UTC):
        assert sandbox_sms_sent_today() == expected
