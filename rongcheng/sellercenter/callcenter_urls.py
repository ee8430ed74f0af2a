"""/callcenter/: the agent workspace and the supervisors' wallboard (CALL-5, CALL-8)."""

from django.urls import path

from rongcheng.sellercenter.views import callcenter

app_name = "callcenter"

urlpatterns = [
    path("", callcenter.agent_workspace, name="workspace"),
    path("wallboard/", callcenter.supervisor_wallboard, name="wallboard"),
    *(
        path(f"{action}/", callcenter.agent_action, {"action": action}, name=action)
        for action in callcenter.AGENT_ACTIONS
    ),
    *(
        path(f"wallboard/{action}/", callcenter.supervisor_action, {"action": action}, name=action)
        for action in callcenter.SUPERVISOR_ACTIONS
    ),
]
