from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "rongcheng.backoffice"
    label = "backoffice"
