"""Payment gateway adapters, one per provider, chosen by the payment's provider."""

from django.utils.module_loading import import_string

from rongcheng.payments.gateways.base import Gateway
from rongcheng.payments.models import Channel, Provider

GATEWAYS = {
    Provider.ALIPAY: "rongcheng.payments.gateways.alipay.AlipayGateway",
}

CHANNEL_PROVIDERS = {
    Channel.ALIPAY_PAGE: Provider.ALIPAY,
    Channel.ALIPAY_WAP: Provider.ALIPAY,
    Channel.ALIPAY_QR: Provider.ALIPAY,
}


def get_gateway(provider: str) -> Gateway:
    """The adapter for `provider`, configured from the settings (the sandbox when it is on)."""
    return import_string(GATEWAYS[Provider(provider)])()
