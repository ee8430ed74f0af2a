"""Test helpers: read what the sandbox SMS provider delivered."""

import pytest

from rongcheng.notifications.models import SandboxSms


def last_sms_code(mobile: str) -> str | None:
    """The code in the newest sandbox SMS to this number, as the member would read it."""
    sms = SandboxSms.objects.filter(mobile=mobile).order_by("-pk").first()
    return sms.params["code"] if sms else None


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs the block's on-commit side effects (SMS, e-mail) at its end,
    as a real commit would; tests otherwise run inside one transaction that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
