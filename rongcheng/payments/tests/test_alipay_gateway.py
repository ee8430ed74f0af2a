import json
from dataclasses import replace
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.utils import timezone

from rongcheng.payments.errors import (
    ChannelUnavailable,
    GatewayUnavailable,
    InvalidAmount,
    UnknownPurpose,
)
from rongcheng.payments.gateways.alipay import AlipayGateway, alipay_config
from rongcheng.payments.gateways.base import TradeStatus
from rongcheng.payments.models import Channel, Payment
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.sandbox.keys import _new_key_pair
from rongcheng.payments.services import payment_create, payment_start
from rongcheng.payments.tests.conftest import BASE_URL, PURPOSE, new_payment, opened_payment

pytestmark = pytest.mark.django_db


def signed_request(url: str) -> dict:
    params = dict(parse_qsl(urlsplit(url).query))
    return params | {"biz_content": json.loads(params["biz_content"])}


@time_machine.travel(timezone.datetime(2026, 12, 6, 10, 0, tzinfo=timezone.get_default_timezone()))
@pytest.mark.parametrize(
    ("channel", "method", "product_code"),
    [
        (Channel.ALIPAY_PAGE, "alipay.trade.page.pay", "FAST_INSTANT_TRADE_PAY"),
        (Channel.ALIPAY_WAP, "alipay.trade.wap.pay", "QUICK_WAP_PAY"),
    ],
)
def test_page_and_wap_pay_send_the_buyer_to_alipay_with_a_signed_order(
    member, handlers, channel, method, product_code
):
    payment = new_payment(member, amount="99.90", channel=channel)

    start = payment_start(payment=payment, base_url="https://shop.example.com/", return_url="/o/")

    request = signed_request(start.redirect_url)
    assert start.redirect_url.startswith(
        "https://shop.example.com/payments/sandbox/alipay/gateway.do?"
    )
    assert (request["method"], request["sign_type"], request["app_id"]) == (
        method,
        "RSA2",
        sandbox_alipay.APP_ID,
    )
    assert request["notify_url"] == "https://shop.example.com/payments/notify/alipay/"
    assert request["return_url"] == "https://shop.example.com/o/"
    assert request["biz_content"] | {"quit_url": ""} == {
        "subject": "羊绒围巾",
        "out_trade_no": payment.out_trade_no,
        "total_amount": "99.90",
        "product_code": product_code,
        "time_expire": "2026-12-06 10:30:00",
        "quit_url": "",
    }


def test_the_public_payment_number_is_dated_and_random(member, handlers):
    numbers = {new_payment(member).out_trade_no for _ in range(20)}

    assert len(numbers) == 20
    today = f"{timezone.localdate():%Y%m%d}"
    assert all(len(n) == 24 and n.startswith(today) and n.isdigit() for n in numbers)


def test_an_answer_not_signed_by_alipay_is_not_believed(member, handlers):
    payment = opened_payment(member)
    impostor_key = _new_key_pair()["private"]

    def impostor(url, timeout):
        genuine = json.loads(sandbox_alipay.answer_api(url, timeout))
        content = genuine["alipay_trade_query_response"] | {"trade_status": "TRADE_SUCCESS"}
        text = json.dumps(content, separators=(",", ":"))
        gateway = AlipayGateway(replace(alipay_config(), app_private_key=impostor_key))
        return f'{{"alipay_trade_query_response":{text},"sign":"{gateway.client._sign(text)}"}}'

    gateway = AlipayGateway(replace(alipay_config(), transport=impostor))
    with pytest.raises(GatewayUnavailable):
        gateway.query(payment)
    assert AlipayGateway().query(payment).status == TradeStatus.PENDING


def test_alipay_refuses_a_request_not_signed_by_the_app(member, handlers):
    payment = opened_payment(member)
    gateway = AlipayGateway(replace(alipay_config(), app_private_key=_new_key_pair()["private"]))

    with pytest.raises(GatewayUnavailable):
        gateway.query(payment)


def test_a_trade_never_opened_is_reported_as_not_found(member, handlers):
    payment = new_payment(member)

    trade = AlipayGateway().query(payment)

    assert (trade.out_trade_no, trade.status) == (payment.out_trade_no, TradeStatus.NOT_FOUND)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"purpose": "unknown"}, UnknownPurpose),
        ({"channel": "paypal"}, ChannelUnavailable),
        ({"amount": Decimal("0.00")}, InvalidAmount),
        ({"amount": Decimal("1.005")}, InvalidAmount),
    ],
)
def test_a_payment_is_created_only_for_a_known_purpose_channel_and_amount(
    member, handlers, changes, error
):
    arguments = {
        "purpose": PURPOSE,
        "reference": "C-1",
        "buyer": member,
        "subject": "羊绒衫",
        "amount": Decimal("10.00"),
        "channel": Channel.ALIPAY_PAGE,
    }
    with pytest.raises(error):
        payment_create(**(arguments | changes))
    assert not Payment.objects.exists()


def test_an_expired_payment_cannot_be_started(member, handlers):
    payment = new_payment(member)
    with time_machine.travel(payment.expires_at), pytest.raises(Exception, match="已不能支付"):
        payment_start(payment=payment, base_url=BASE_URL, return_url="/")
