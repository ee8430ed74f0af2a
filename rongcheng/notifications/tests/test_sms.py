import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, quote_plus

import pytest
from django.db import transaction

from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.services import sms_send
from rongcheng.notifications.sms import get_provider
from rongcheng.notifications.sms.aliyun import (
    AliyunSmsProvider,
    canonical_query,
    percent_encode,
    signature,
    string_to_sign,
)
from rongcheng.notifications.sms.base import SmsSendFailed
from rongcheng.notifications.sms.sandbox import SandboxSmsProvider

pytestmark = pytest.mark.django_db

# The worked example of Aliyun's RPC signature documentation (DescribeRegions, testid/testsecret).
DOC_PARAMS = {
    "TimeStamp": "2016-02-23T12:46:24Z",
    "Format": "XML",
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Version": "2014-05-26",
    "SignatureVersion": "1.0",
}
DOC_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
    "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
    "%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
)


def test_signature_matches_aliyun_documented_example():
    assert string_to_sign("GET", DOC_PARAMS) == DOC_STRING_TO_SIGN
    assert signature("GET", DOC_PARAMS, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_percent_encoding_follows_aliyun_rules():
    assert percent_encode("a b*c~d/é+") == "a%20b%2Ac~d%2F%C3%A9%2B"
    assert percent_encode("-_.AZaz09") == "-_.AZaz09"
    assert canonical_query({"SignName": "绒城购", "TemplateParam": '{"code":"123456"}'}) == (
        "SignName=%E7%BB%92%E5%9F%8E%E8%B4%AD&TemplateParam=%7B%22code%22%3A%22123456%22%7D"
    )


def test_sandbox_provider_writes_the_rendered_message_to_the_outbox():
    biz_id = SandboxSmsProvider().send(
        "13800000001", "verification_code", {"code": "123456", "minutes": "10"}
    )
    sms = SandboxSms.objects.get()
    assert sms.biz_id == biz_id and biz_id.endswith("^0")
    assert sms.mobile == "13800000001"
    assert sms.sign_name == "绒城购"
    assert sms.template_code == "verification_code"
    assert sms.params == {"code": "123456", "minutes": "10"}
    assert sms.content == "【绒城购】您的验证码为123456，10分钟内有效。请勿泄露给他人。"


def test_provider_is_chosen_by_setting(settings):
    assert isinstance(get_provider(), SandboxSmsProvider)
    settings.RONGCHENG = {
        **settings.RONGCHENG,
        "SMS_PROVIDER": "aliyun",
        "ALIYUN_SMS": {
            **settings.RONGCHENG["ALIYUN_SMS"],
            "ACCESS_KEY_ID": "id",
            "ACCESS_KEY_SECRET": "s",
        },
    }
    assert isinstance(get_provider(), AliyunSmsProvider)
    settings.RONGCHENG = {**settings.RONGCHENG, "SMS_PROVIDER": "carrier-pigeon"}
    with pytest.raises(ValueError, match="carrier-pigeon"):
        get_provider()


def test_sms_send_waits_for_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        sms_send(
            mobile="13800000001",
            template_code="verification_code",
            params={"code": "654321", "minutes": "10"},
        )
        assert SandboxSms.objects.count() == 0
    assert len(callbacks) == 1
    assert SandboxSms.objects.get().params["code"] == "654321"


def test_sms_send_in_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sms_send(mobile="13800000001", template_code="verification_code", params={})
        raise RuntimeError
    assert callbacks == [] and SandboxSms.objects.count() == 0


# --- Aliyun over HTTP, against a local server that checks the signature on its own ----------


def _independent_signature(params: dict[str, str], secret: str) -> str:
    """The SDKs' recipe: form-encode, then + → %20, * → %2A, %7E → ~."""

    def enc(value: str) -> str:
        return (
            quote_plus(value, encoding="utf-8")
            .replace("+", "%20")
            .replace("*", "%2A")
            .replace("%7E", "~")
        )

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&" + enc("/") + "&" + enc(query)
    return base64.b64encode(
        hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    ).decode()


@pytest.fixture
def aliyun(settings):
    received = []
    answers = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            params = dict(parse_qsl(body, keep_blank_values=True))
            received.append(params)
            status, answer = answers.pop(0)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.RONGCHENG = {
        **settings.RONGCHENG,
        "SMS_PROVIDER": "aliyun",
        "ALIYUN_SMS": {
            "ACCESS_KEY_ID": "LTAI-test-id",
            "ACCESS_KEY_SECRET": "test-secret",
            "SIGN_NAME": "绒城购",
            "TEMPLATE_CODE": "SMS_000001",
            "LOGIN_PAUSED_TEMPLATE_CODE": "SMS_000002",
            "ENDPOINT": f"http://127.0.0.1:{server.server_port}/",
        },
    }
    yield received, answers
    server.shutdown()
    server.server_close()


def test_aliyun_provider_sends_a_correctly_signed_request(aliyun):
    received, answers = aliyun
    answers.append(
        (200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "R1"})
    )

    biz_id = AliyunSmsProvider().send(
        "13800000001", "verification_code", {"code": "123456", "minutes": "10"}
    )

    assert biz_id == "900619746936498440^0"
    (params,) = received
    sent_signature = params.pop("Signature")
    assert sent_signature == _independent_signature(params, "test-secret")
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25"
    assert params["SignatureMethod"] == "HMAC-SHA1" and params["SignatureVersion"] == "1.0"
    assert params["AccessKeyId"] == "LTAI-test-id"
    assert params["PhoneNumbers"] == "13800000001"
    assert params["SignName"] == "绒城购"
    assert params["TemplateCode"] == "SMS_000001"
    assert json.loads(params["TemplateParam"]) == {"code": "123456", "minutes": "10"}


def test_aliyun_provider_sends_each_template_under_its_own_code(aliyun):
    received, answers = aliyun
    answers.append((200, {"Code": "OK", "Message": "OK", "BizId": "1^0", "RequestId": "R2"}))
    AliyunSmsProvider().send("13800000001", "login_paused", {"minutes": "15"})
    (params,) = received
    assert params["TemplateCode"] == "SMS_000002"
    assert json.loads(params["TemplateParam"]) == {"minutes": "15"}


def test_aliyun_refusal_raises_with_aliyun_reason(aliyun):
    _received, answers = aliyun
    answers.append(
        (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发小时级流控Permits:5"})
    )
    with pytest.raises(SmsSendFailed, match="触发小时级流控"):
        AliyunSmsProvider().send("13800000001", "verification_code", {"code": "1", "minutes": "10"})


def test_aliyun_http_error_body_is_read(aliyun):
    _received, answers = aliyun
    answers.append(
        (400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"})
    )
    with pytest.raises(SmsSendFailed, match="signature is not matched"):
        AliyunSmsProvider().send("13800000001", "verification_code", {"code": "1", "minutes": "10"})


def test_aliyun_needs_credentials(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.RONGCHENG = {**settings.RONGCHENG, "SMS_PROVIDER": "aliyun"}
    with pytest.raises(ImproperlyConfigured):
        get_provider()
