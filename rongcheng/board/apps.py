from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "rongcheng.board"
    label = "board"
    verbose_name = _("留言板")

    def ready(self):
        from rongcheng.accounts import roles

        # Customer service moderates the board.
        roles.register_baseline_grants(
            roles.CS_AGENT, roles.model_permissions("board", ["post"], ("view", "change"))
        )
