"""Aliyun Dysmsapi SendSms over HTTPS, signed with the RPC signature (HMAC-SHA1, version 1.0)."""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from rongcheng.notifications.sms.base import (
    LOGIN_PAUSED,
    VERIFICATION_CODE,
    SmsProvider,
    SmsSendFailed,
)

logger = logging.getLogger(__name__)

API_VERSION = "2017-05-25"
REGION_ID = "cn-hangzhou"
TIMEOUT_SECONDS = 5


def percent_encode(value: str) -> str:
    """Aliyun's POP encoding: UTF-8, RFC 3986; only A-Z a-z 0-9 - _ . ~ stay as they are.

    Space becomes %20 (not +), * becomes %2A and ~ is left alone.
    """
    return quote(value, safe="~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(
        f"{percent_encode(key)}={percent_encode(params[key])}" for key in sorted(params)
    )


def string_to_sign(method: str, params: dict[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def signature(method: str, params: dict[str, str], secret: str) -> str:
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsProvider(SmsProvider):
    def __init__(self) -> None:
        conf = settings.RONGCHENG["ALIYUN_SMS"]
        missing = [key for key in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET") if not conf[key]]
        if missing:
            raise ImproperlyConfigured(
                "SMS_PROVIDER=aliyun needs ALIYUN_SMS_ACCESS_KEY_ID and "
                "ALIYUN_SMS_ACCESS_KEY_SECRET"
            )
        self.access_key_id = conf["ACCESS_KEY_ID"]
        self.access_key_secret = conf["ACCESS_KEY_SECRET"]
        self.sign_name = conf["SIGN_NAME"]
        self.endpoint = conf["ENDPOINT"]
        # Our template keys → the template codes Aliyun assigned when it approved them.
        self.template_codes = {
            VERIFICATION_CODE: conf["TEMPLATE_CODE"],
            LOGIN_PAUSED: conf["LOGIN_PAUSED_TEMPLATE_CODE"],
        }

    def signed_params(self, mobile: str, template_code: str, params: dict[str, str]) -> dict:
        request_params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": REGION_ID,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": str(uuid.uuid4()),
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            "PhoneNumbers": mobile,
            "SignName": self.sign_name,
            "TemplateCode": self.template_codes[template_code],
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        }
        request_params["Signature"] = signature("POST", request_params, self.access_key_secret)
        return request_params

    def send(self, mobile: str, template_code: str, params: dict[str, str]) -> str:
        body = canonical_query(self.signed_params(mobile, template_code, params)).encode()
        request = Request(  # noqa: S310 - the endpoint is a configured https URL
            self.endpoint,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.load(response)
        except HTTPError as error:  # Aliyun answers 4xx with a JSON body naming the fault
            try:
                answer = json.load(error)
            except ValueError:
                answer = {"Code": str(error.code), "Message": error.reason}
        except (URLError, TimeoutError, ValueError) as error:
            logger.warning("Aliyun SMS request failed: %s", error)
            raise SmsSendFailed(_("短信服务暂时不可用，请稍后再试。")) from error
        if answer.get("Code") != "OK":
            logger.warning("Aliyun SMS refused: %s %s", answer.get("Code"), answer.get("Message"))
            raise SmsSendFailed(
                _("短信发送失败：%(reason)s") % {"reason": answer.get("Message", "")}
            )
        return answer["BizId"]
