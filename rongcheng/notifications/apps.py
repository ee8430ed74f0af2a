from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rongcheng.notifications"
    label = "notifications"
    verbose_name = "通知"
