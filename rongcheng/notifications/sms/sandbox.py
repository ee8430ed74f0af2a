"""The sandbox provider: 'delivers' into the SandboxSms outbox that staff read in the back
office, rendered exactly as the phone would show it."""

import secrets

from django.conf import settings

from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.sms.base import SmsProvider, compose


class SandboxSmsProvider(SmsProvider):
    def send(self, mobile: str, template_code: str, params: dict[str, str]) -> str:
        sign_name = settings.RONGCHENG["ALIYUN_SMS"]["SIGN_NAME"]
        # Shaped like Aliyun's BizId so code that stores receipts sees realistic values.
        biz_id = f"{secrets.randbelow(10**18):018d}^0"
        SandboxSms.objects.create(
            mobile=mobile,
            sign_name=sign_name,
            template_code=template_code,
            params=params,
            content=compose(sign_name, template_code, params),
            biz_id=biz_id,
        )
        return biz_id
