from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rongcheng.core"
    label = "core"

    def ready(self) -> None:
        from rongcheng.core import stored_files

        stored_files.connect()
