from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CallCenterConfig(AppConfig):
    name = "rongcheng.callcenter"
    label = "callcenter"
    verbose_name = _("呼叫中心")

    def ready(self) -> None:
        from rongcheng.accounts import roles
        from rongcheng.callcenter.models import AgentEvent
        from rongcheng.callcenter.push import agent_event_saved

        post_save.connect(agent_event_saved, sender=AgentEvent, dispatch_uid="callcenter-floor")
        # Supervisors monitor calls, read every agent's calls, work records and recordings, and
        # send SMS campaigns (CALL-1…5); agents read only their own, through callcenter.records.
        roles.register_baseline_grants(
            roles.CS_SUPERVISOR,
            [
                "callcenter.supervise_calls",
                "notifications.view_smsdelivery",
                *roles.model_permissions(
                    "callcenter", ["call", "callleg", "agentevent", "recording"], ("view",)
                ),
                *roles.model_permissions("notifications", ["smscampaign", "customergroup"]),
            ],
        )
