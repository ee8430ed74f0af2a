from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "rongcheng.stores"
    label = "stores"
    verbose_name = "门店"
