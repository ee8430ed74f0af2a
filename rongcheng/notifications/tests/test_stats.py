from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.stats import sandbox_sms_sent_today

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_sms_sent_since_local_midnight():
    for i, sent_at in enumerate(
        [
            datetime(2026, 3, 10, 0, 0, tzinfo=SHANGHAI),
            datetime(2026, 3, 10, 8, 30, tzinfo=SHANGHAI),
            datetime(2026, 3, 9, 23, 59, tzinfo=SHANGHAI),
        ]
    ):
        sms = SandboxSms.objects.create(
            mobile="13900000000",
            sign_name="绒城购",
            template_code="SMS_1",
            params={},
            content="验证码",
            biz_id=f"biz-{i}",
        )
        SandboxSms.objects.filter(pk=sms.pk).update(sent_at=sent_at)
    now = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    assert sandbox_sms_sent_today(now=now) == 2
