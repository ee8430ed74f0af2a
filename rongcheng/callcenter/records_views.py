"""/callcenter/: the records desk (CALL-1…5, 7). Call and work records, recordings and call-back
requests for every agent (their own) and supervisor (all), the reports and SMS campaigns for
supervisors."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongcheng.accounts.models import User
from rongcheng.callcenter import records
from rongcheng.callcenter.exports import report_export
from rongcheng.callcenter.filters import RecordFilterForm
from rongcheng.callcenter.recordings import playback_log, recording_response, starts_playback
from rongcheng.callcenter.reports import call_report, report_period
from rongcheng.core.dates import local_day, site_zone
from rongcheng.core.errors import ApplicationError
from rongcheng.notifications import campaigns
from rongcheng.notifications.models import CustomerGroup, SmsCampaign, SmsDelivery

PER_PAGE = 30
FILTERS = ("since", "until", "caller_number", "group", "agent_number")


def _listing(request, section: str, selector, template: str, **extra):
    reader = records.records_reader(user=request.user)
    form = RecordFilterForm(request.GET or None, supervisor=reader.is_supervisor)
    filters = form.record_filter()
    page = Paginator(selector(reader=reader, filters=filters), PER_PAGE).get_page(
        request.GET.get("page", "1")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "section": section,
        "reader": reader,
        "form": form,
        "page": page,
        "query": kept.urlencode(),
    }
    context |= {name: compute(reader=reader, filters=filters) for name, compute in extra.items()}
    return render(request, template, context)


@login_required
def call_records(request):
    return _listing(request, "calls", records.call_records, "callcenter/calls.html")


@login_required
def work_records(request):
    return _listing(
        request,
        "work",
        records.work_records,
        "callcenter/work.html",
        totals=records.work_totals,
        states=lambda **_: records.SIGNED_IN_STATES,
    )


@login_required
def recordings(request):
    return _listing(request, "recordings", records.recording_records, "callcenter/recordings.html")


@login_required
def callbacks(request):
    return _listing(request, "callbacks", records.callback_records, "callcenter/callbacks.html")


@login_required
def recording_play(request, recording_id: int):
    reader = records.records_reader(user=request.user)
    recording = records.recording_for(reader=reader, recording_id=recording_id)
    if recording is None:
        raise Http404
    if starts_playback(request):
        playback_log(recording=recording, user=request.user)
    return recording_response(request, recording)


def _supervisor(request) -> records.Reader:
    reader = records.records_reader(user=request.user)
    if not reader.is_supervisor:
        raise PermissionDenied
    return reader


def _report(request):
    form = RecordFilterForm(request.GET or None, supervisor=False)
    asked = form.record_filter()
    since, until = report_period(asked.since, asked.until, local_day())
    return form, call_report(since=since, until=until)


@login_required
def reports(request):
    _supervisor(request)
    form, report = _report(request)
    del form.fields["caller_number"]
    if not form.is_bound:  # show the period the report covers
        form.initial = {"since": report.since, "until": report.until}
    charts = {
        "days": _series(report.by_day),
        "hours": _series(report.by_hour),
        "categories": _series(report.by_category),
        "names": {"offered": _("来电"), "answered": _("接听"), "abandoned": _("放弃")},
    }
    return render(
        request,
        "callcenter/reports.html",
        {
            "section": "reports",
            "form": form,
            "report": report,
            "charts": json_script(charts, "call-charts"),
            "query": f"since={report.since}&until={report.until}",
        },
    )


def _series(rows) -> dict:
    return {
        "labels": [row.label for row in rows],
        "offered": [row.offered for row in rows],
        "answered": [row.answered for row in rows],
        "abandoned": [row.abandoned for row in rows],
    }


@login_required
def reports_export(request):
    _supervisor(request)
    _, report = _report(request)
    response = HttpResponse(
        report_export(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"call-report-{report.since:%Y%m%d}-{report.until:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _campaign_page(request, errors: dict[str, str] | None = None, status: int = 200):
    listed = list(
        SmsCampaign.objects.select_related("group", "member", "created_by").order_by("-pk")[:50]
    )
    counts = campaigns.campaign_counts(campaign_ids=[c.pk for c in listed])
    return render(
        request,
        "callcenter/sms.html",
        {
            "section": "sms",
            "campaigns": [(c, counts[c.pk]) for c in listed],
            "statuses": SmsDelivery.Status,
            "groups": CustomerGroup.objects.order_by("name"),
            "kinds": SmsCampaign.Kind.choices,
            "errors": errors or {},
            "posted": request.POST,
        },
        status=status,
    )


@login_required
def sms_campaigns(request):
    if not request.user.has_perm(campaigns.CAMPAIGN_PERMISSION):
        raise PermissionDenied
    if request.method != "POST":
        return _campaign_page(request)
    try:
        campaigns.campaign_create(actor=request.user, **_campaign_fields(request.POST))
    except ApplicationError as refusal:
        return _campaign_page(request, {refusal.field or "form": str(refusal.message)}, 400)
    messages.success(request, _("短信群发已安排。"))
    return redirect("callcenter_records:sms")


def _campaign_fields(data) -> dict:
    group = member = None
    if data.get("audience") == "member":
        member = _member_by_mobile(data.get("mobile", ""))
    else:
        group = CustomerGroup.objects.filter(pk=_int(data.get("group"))).first()
        if group is None:
            raise campaigns.CampaignInvalid(_("请选择一个客户群组。"), field="group")
    return {
        "name": data.get("name", ""),
        "kind": data.get("kind", ""),
        "content": data.get("content", ""),
        "group": group,
        "member": member,
        "send_at": _send_at(data.get("send_on", ""), data.get("send_time", "")),
    }


def _member_by_mobile(mobile: str) -> User:
    member = User.objects.filter(mobile=mobile.strip(), is_active=True).first() if mobile else None
    if member is None:
        raise campaigns.CampaignInvalid(_("没有这个手机号的会员。"), field="mobile")
    return member


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _send_at(day: str, clock: str) -> datetime | None:
    """A site-time day and hh:mm, or None (now) when no day is given."""
    if not day:
        return None
    try:
        on = datetime.strptime(day, "%Y-%m-%d").date()
        at = datetime.strptime(clock, "%H:%M").time() if clock else time.min
    except ValueError:
        raise campaigns.CampaignInvalid(_("发送时间格式不对。"), field="send_on") from None
    return datetime.combine(on, at, tzinfo=site_zone())


@login_required
@require_POST
def sms_campaign_cancel(request, campaign_id: int):
    if campaigns.campaign_cancel(actor=request.user, campaign_id=campaign_id):
        messages.success(request, _("已取消。"))
    else:
        messages.error(request, _("该群发已开始或已结束，不能取消。"))
    return redirect("callcenter_records:sms")
