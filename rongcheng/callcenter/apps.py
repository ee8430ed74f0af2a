from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallCenterConfig(AppConfig):
    name = "rongcheng.callcenter"
    label = "callcenter"
    verbose_name = _("呼叫中心")

    def ready(self):
        from rongcheng.accounts import roles

        # Supervisors read every agent's calls, work records and recordings, and send SMS
        # campaigns (CALL-1…5); agents read only their own, through callcenter.records.
        roles.register_baseline_grants(
            roles.CS_SUPERVISOR,
            roles.model_permissions(
                "callcenter", ["call", "callleg", "agentevent", "recording"], ("view",)
            )
            + roles.model_permissions("notifications", ["smscampaign", "customergroup"])
            + ["notifications.view_smsdelivery"],
        )
