from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rongcheng.accounts"
    label = "accounts"
    verbose_name = "会员与权限"
