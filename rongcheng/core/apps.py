from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rongcheng.core"
    label = "core"
