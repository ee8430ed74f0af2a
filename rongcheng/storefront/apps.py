from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "rongcheng.storefront"
    label = "storefront"
