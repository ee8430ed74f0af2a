"""Payment gateway adapters, one per provider, chosen by the payment's provider."""

from django.utils.module_loading import import_string

from rongcheng.payments.gateways.base import Gateway
from rongcheng.payments.models import Channel, Provider

GATEWAYS = {
    Provider.ALIPAY: "rongcheng.payments.gateways.alipay.AlipayGateway",
    Provider.WECHAT: "rongcheng.payments.gateways.wechat.WechatGateway",
    Provider.UNIONPAY: "rongcheng.payments.gateways.unionpay.UnionpayGateway",
    Provider.CASH: "rongcheng.payments.gateways.cash.CashGateway",
}

CHANNEL_PROVIDERS = {
    Channel.ALIPAY_PAGE: Provider.ALIPAY,
    Channel.ALIPAY_WAP: Provider.ALIPAY,
    Channel.ALIPAY_QR: Provider.ALIPAY,
    Channel.WECHAT_NATIVE: Provider.WECHAT,
    Channel.WECHAT_H5: Provider.WECHAT,
    Channel.WECHAT_JSAPI: Provider.WECHAT,
    Channel.UNIONPAY_PC: Provider.UNIONPAY,
    Channel.UNIONPAY_WAP: Provider.UNIONPAY,
    Channel.CASH_COUNTER: Provider.CASH,
}

# Providers that post asynchronous notifications to /payments/notify/<provider>/.
NOTIFYING = frozenset({Provider.ALIPAY, Provider.WECHAT, Provider.UNIONPAY})


def get_gateway(provider: str) -> Gateway:
    """The adapter for `provider`, configured from the settings (the sandbox when it is on)."""
    return import_string(GATEWAYS[Provider(provider)])()
