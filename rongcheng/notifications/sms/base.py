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
    "login_paused": (
        "您的账号密码登录失败次数过多，已暂停密码登录${minutes}分钟。"
        "如非本人操作，请用短信验证码登录并修改密码。"
    ),
    # SMS campaigns (CALL-3); a marketing message says how to refuse the next ones.
    "campaign_marketing": "${content} 拒收请回复R",
    "campaign_service": "${content}",
}
VERIFICATION_CODE = "verification_code"
LOGIN_PAUSED = "login_paused"

# Parameters that let whoever reads them act as the recipient: shown in the sandbox outbox only
# to staff holding SMS_CODE_PERMISSION, masked for everyone else.
SECRET_PARAMS = frozenset({"code"})
MASK = "******"


def render(template_code: str, params: dict[str, str]) -> str:
    return Template(TEMPLATES[template_code]).substitute(params)


def compose(sign_name: str, template_code: str, params: dict[str, str]) -> str:
    """The message as the phone shows it: the signature in 【】, then the template's text."""
    return f"【{sign_name}】{render(template_code, params)}"


def masked(params: dict[str, str]) -> dict[str, str]:
    return {name: MASK if name in SECRET_PARAMS else value for name, value in params.items()}


class SmsProvider(ABC):
    @abstractmethod
    def send(self, mobile: str, template_code: str, params: dict[str, str]) -> str:
        """Deliver one templated message; return the provider's receipt id (BizId)."""
