from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "rongcheng.search"
    label = "search"
    verbose_name = "站内搜索"
