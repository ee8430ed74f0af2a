from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rongcheng.core"
    label = "core"

    def ready(self) -> None:
        from rongcheng.core import stored_files
        from rongcheng.core.observability import metrics, request_id  # noqa: F401 - signals

        stored_files.connect()
        metrics.connect()
