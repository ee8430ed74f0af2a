"""SMS campaigns (CALL-3): a message to one member or to a customer group, now or at a set
time, through the SMS provider adapters. Marketing reaches only members whose latest
marketing-SMS consent is a yes (LAW-4, PIPL); the others get a delivery row saying why not.

Sending is a periodic job (`send-due-sms-campaigns`) and also runs at once for a campaign due
now. Each delivery is taken with a conditional UPDATE before the provider is called and no row
is locked during the call: two senders never send one message twice, and a sender killed
mid-way leaves at most the messages it had taken marked `sending`. The sweep
(`sweep-stuck-sms-deliveries`) gives such a message, once it has been `sending` for
`SMS_DELIVERY_STUCK_SECONDS`, one more try; after `SMS_DELIVERY_MAX_ATTEMPTS` takes it is
failed. A sender that died after the gateway accepted the message may so send it twice: one
duplicate is preferred to a message silently never sent."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import ConsentRecord, User
from rongcheng.core.errors import ApplicationError
from rongcheng.notifications.models import CustomerGroup, SmsCampaign, SmsDelivery
from rongcheng.notifications.sms import get_provider
from rongcheng.notifications.sms.base import SmsSendFailed

CAMPAIGN_PERMISSION = "notifications.add_smscampaign"
TEMPLATES = {
    SmsCampaign.Kind.MARKETING: "campaign_marketing",
    SmsCampaign.Kind.SERVICE: "campaign_service",
}
CONTENT_MAX = 300


class CampaignInvalid(ApplicationError):
    code = "campaign_invalid"


class CampaignForbidden(ApplicationError):
    code = "forbidden"
    status = 403


def campaign_create(
    *,
    actor: User,
    name: str,
    kind: str,
    content: str,
    group: CustomerGroup | None = None,
    member: User | None = None,
    send_at: datetime | None = None,
) -> SmsCampaign:
    """Schedule a campaign; one due now is sent once the transaction commits."""
    if not actor.has_perm(CAMPAIGN_PERMISSION):
        raise CampaignForbidden(_("没有群发短信的权限。"))
    if (group is None) == (member is None):
        raise CampaignInvalid(_("请选择一个客户群组或一位会员。"), field="group")
    content = content.strip()
    if not content or len(content) > CONTENT_MAX:
        raise CampaignInvalid(_("短信内容须为 1–300 字。"), field="content")
    if kind not in TEMPLATES:
        raise CampaignInvalid(_("没有这种短信类型。"), field="kind")
    now = timezone.now()
    campaign = SmsCampaign.objects.create(
        name=name.strip()[:50] or content[:20],
        kind=kind,
        content=content,
        group=group,
        member=member,
        send_at=max(send_at or now, now),
        created_by=actor,
    )
    if campaign.send_at <= now:
        from rongcheng.notifications.tasks import send_due_sms_campaigns  # it imports this module

        transaction.on_commit(send_due_sms_campaigns.delay)
    return campaign


def campaign_cancel(*, actor: User, campaign_id: int) -> bool:
    """Cancel a campaign not yet started; False when it has started or is gone."""
    if not actor.has_perm(CAMPAIGN_PERMISSION):
        raise CampaignForbidden(_("没有群发短信的权限。"))
    return bool(
        SmsCampaign.objects.filter(pk=campaign_id, status=SmsCampaign.Status.SCHEDULED).update(
            status=SmsCampaign.Status.CANCELLED, finished_at=timezone.now()
        )
    )


def customer_group_save(*, group: CustomerGroup) -> CustomerGroup:
    group.full_clean(exclude=["members"])
    group.save()
    return group


def customer_group_delete(*, group: CustomerGroup) -> None:
    """A group some campaign went or goes to stays: its deliveries name what it was."""
    if SmsCampaign.objects.filter(group=group).exists():
        raise CampaignInvalid(_("已有短信群发使用这个客户群组，不能删除。"))
    group.delete()


def _audience(campaign: SmsCampaign) -> QuerySet:
    members = get_user_model().objects.filter(is_active=True)
    if campaign.member_id:
        members = members.filter(pk=campaign.member_id)
    else:
        members = members.filter(customer_groups=campaign.group_id)
    latest = ConsentRecord.objects.filter(
        user=OuterRef("pk"), purpose=ConsentRecord.Purpose.MARKETING_SMS
    ).order_by("-created_at", "-pk")
    return members.annotate(marketing_ok=Subquery(latest.values("granted")[:1])).values_list(
        "pk", "mobile", "marketing_ok"
    )


def _first_status(campaign: SmsCampaign, mobile: str | None, consented: bool | None) -> str:
    if not mobile:
        return SmsDelivery.Status.NO_MOBILE
    if campaign.kind == SmsCampaign.Kind.MARKETING and not consented:
        return SmsDelivery.Status.NO_CONSENT
    return SmsDelivery.Status.PENDING


def _start(campaign: SmsCampaign) -> None:
    """Write one delivery per member of the audience, as it is when sending starts."""
    with transaction.atomic():
        SmsDelivery.objects.bulk_create(
            [
                SmsDelivery(
                    campaign=campaign,
                    member_id=pk,
                    mobile=mobile or "",
                    status=_first_status(campaign, mobile, consented),
                )
                for pk, mobile, consented in _audience(campaign)
            ],
            ignore_conflicts=True,
        )


def _deliver(campaign: SmsCampaign, delivery_id: int, mobile: str) -> None:
    taken = SmsDelivery.objects.filter(pk=delivery_id, status=SmsDelivery.Status.PENDING).update(
        status=SmsDelivery.Status.SENDING, taken_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not taken:
        return
    try:
        biz_id = get_provider().send(
            mobile, TEMPLATES[campaign.kind], {"content": campaign.content}
        )
    except SmsSendFailed as failure:
        SmsDelivery.objects.filter(pk=delivery_id).update(
            status=SmsDelivery.Status.FAILED, error=str(failure.message)[:200]
        )
    else:
        SmsDelivery.objects.filter(pk=delivery_id).update(
            status=SmsDelivery.Status.SENT, biz_id=biz_id, sent_at=timezone.now()
        )


def campaigns_send_due(*, now: datetime | None = None) -> int:
    """Send every campaign due by `now` (and finish any a sender left half-way); returns how
    many campaigns this run finished."""
    now = now or timezone.now()
    due = SmsCampaign.objects.filter(status=SmsCampaign.Status.SCHEDULED, send_at__lte=now)
    for campaign_id in due.values_list("pk", flat=True):
        SmsCampaign.objects.filter(pk=campaign_id, status=SmsCampaign.Status.SCHEDULED).update(
            status=SmsCampaign.Status.SENDING
        )
    finished = 0
    for campaign in SmsCampaign.objects.filter(status=SmsCampaign.Status.SENDING):
        if not campaign.deliveries.exists():
            _start(campaign)
        pending = campaign.deliveries.filter(status=SmsDelivery.Status.PENDING)
        for delivery_id, mobile in pending.values_list("pk", "mobile").order_by("pk"):
            _deliver(campaign, delivery_id, mobile)
        # Finished when no message is left to send; one a dead sender holds keeps it open
        # until the sweep has settled it.
        unsettled = SmsDelivery.objects.filter(
            campaign=OuterRef("pk"),
            status__in=[SmsDelivery.Status.PENDING, SmsDelivery.Status.SENDING],
        )
        finished += (
            SmsCampaign.objects.filter(pk=campaign.pk, status=SmsCampaign.Status.SENDING)
            .exclude(Exists(unsettled))
            .update(status=SmsCampaign.Status.SENT, finished_at=timezone.now())
        )
    return finished


def deliveries_sweep_stuck(*, now: datetime | None = None) -> tuple[int, int]:
    """Settle the messages a sender took and never finished: back to pending when they have
    been taken fewer than `SMS_DELIVERY_MAX_ATTEMPTS` times, failed otherwise. Two UPDATEs,
    each whole on its own; a run finds nothing the run before settled. Returns (requeued,
    failed)."""
    now = now or timezone.now()
    stuck = SmsDelivery.objects.filter(
        status=SmsDelivery.Status.SENDING,
        taken_at__lte=now - timedelta(seconds=settings.SMS_DELIVERY_STUCK_SECONDS),
    )
    limit = settings.SMS_DELIVERY_MAX_ATTEMPTS
    failed = stuck.filter(attempts__gte=limit).update(
        status=SmsDelivery.Status.FAILED,
        error=_("发送程序中断，已尝试 %(n)d 次，不再重发。") % {"n": limit},
    )
    requeued = stuck.filter(attempts__lt=limit).update(status=SmsDelivery.Status.PENDING)
    return requeued, failed


def campaign_counts(*, campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Deliveries per campaign and status, for the campaign list (one statement)."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in campaign_ids}
    rows = (
        SmsDelivery.objects.filter(campaign_id__in=campaign_ids)
        .values_list("campaign_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for campaign_id, status, n in rows:
        counts[campaign_id][status] = n
    return counts
