"""SMS provider adapters: the sandbox outbox and Aliyun Dysmsapi, chosen by a setting."""

from django.conf import settings
from django.utils.module_loading import import_string

from rongcheng.notifications.sms.base import SmsProvider

PROVIDERS = {
    "sandbox": "rongcheng.notifications.sms.sandbox.SandboxSmsProvider",
    "aliyun": "rongcheng.notifications.sms.aliyun.AliyunSmsProvider",
}


def sandbox_outbox_enabled() -> bool:
    """The sandbox outbox is part of the back office only while the sandbox delivers SMS."""
    return settings.RONGCHENG["SMS_PROVIDER"] == "sandbox"


def get_provider() -> SmsProvider:
    """The provider named by settings.RONGCHENG["SMS_PROVIDER"] ("sandbox" or "aliyun")."""
    name = settings.RONGCHENG["SMS_PROVIDER"]
    try:
        path = PROVIDERS[name]
    except KeyError:
        raise ValueError(
            f"Unknown SMS provider {name!r}; choose one of {sorted(PROVIDERS)}"
        ) from None
    return import_string(path)()
