"""What every SMS provider offers, and the message templates registered with the providers."""

from abc import ABC, abstractmethod
from string import Template

from rongcheng.core.errors import ApplicationError


class SmsSendFailed(ApplicationError):
    code = "sms_send_failed"
    status = 502


# Our template keys and their texts. The text of each must be registered, word for word, as a
# template with the provider (Aliyun checks every message against its approved template).
TEMPLATES = {
    "verification_code": "您的验证码为${code}，${minutes}分钟内有效。请勿泄露给他人。",
}
VERIFICATION_CODE = "verification_code"


def render(template_code: str, params: dict[str, str]) -> str:
    return Template(TEMPLATES[template_code]).substitute(params)


class SmsProvider(ABC):
    @abstractmethod
    def send(self, mobile: str, template_code: str, params: dict[str, str]) -> str:
        """Deliver one templated message; return the provider's receipt id (BizId)."""
