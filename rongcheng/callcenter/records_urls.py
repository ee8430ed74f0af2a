"""/callcenter/: records, recordings, call backs, reports and SMS campaigns (records_views)."""

from django.urls import path

from rongcheng.callcenter import records_views as views

app_name = "callcenter_records"

urlpatterns = [
    path("calls/", views.call_records, name="calls"),
    path("work/", views.work_records, name="work"),
    path("recordings/", views.recordings, name="recordings"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("recordings/<int:recording_id>/play/", views.recording_play, name="recording_play"),
    path("reports/", views.reports, name="reports"),
    path("reports/export/", views.reports_export, name="reports_export"),
    path("sms/", views.sms_campaigns, name="sms"),
    path("sms/<int:campaign_id>/cancel/", views.sms_campaign_cancel, name="sms_cancel"),
]
