from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rongcheng.api"
    label = "api"
