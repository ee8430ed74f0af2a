from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from rongcheng.accounts import roles
from rongcheng.accounts.models import ConsentRecord
from rongcheng.core.scheduler import EmbeddedScheduler
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications import campaigns
from rongcheng.notifications.models import CustomerGroup, SandboxSms, SmsCampaign, SmsDelivery
from rongcheng.notifications.sms.base import SmsSendFailed

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
MARKETING = ConsentRecord.Purpose.MARKETING_SMS
SMS = reverse("callcenter_records:sms")


@pytest.fixture
def supervisor():
    return roles.user_grant_role(user=UserFactory(), role=roles.CS_SUPERVISOR)


def consent(user, *answers: bool) -> None:
    for n, granted in enumerate(answers):
        ConsentRecord.objects.create(
            user=user, purpose=MARKETING, granted=granted, created_at=NOW - timedelta(days=9 - n)
        )


@pytest.fixture
def group():
    """Four members: consented; consented then withdrew; never asked; consented, no mobile."""
    yes, withdrew, never = (UserFactory(mobile=f"1390000000{n}") for n in range(3))
    no_mobile = UserFactory(mobile=None)
    consent(yes, True)
    consent(withdrew, True, False)
    consent(no_mobile, True)
    group = CustomerGroup.objects.create(name="东胜区会员")
    group.members.add(yes, withdrew, never, no_mobile)
    return group


def statuses(campaign) -> dict[str, str]:
    return dict(campaign.deliveries.values_list("mobile", "status"))


@time_machine.travel(NOW, tick=False)
def test_marketing_reaches_only_members_who_consented(supervisor, group, committed):
    with committed():
        campaign = campaigns.campaign_create(
            actor=supervisor, name="春季上新", kind="marketing", content="羊绒新品八折", group=group
        )
    campaign.refresh_from_db()
    assert campaign.status == SmsCampaign.Status.SENT
    assert statuses(campaign) == {
        "13900000000": SmsDelivery.Status.SENT,
        "13900000001": SmsDelivery.Status.NO_CONSENT,
        "13900000002": SmsDelivery.Status.NO_CONSENT,
        "": SmsDelivery.Status.NO_MOBILE,
    }
    sent = SandboxSms.objects.get()
    assert (sent.mobile, sent.content) == ("13900000000", "【绒城购】羊绒新品八折 拒收请回复R")
    assert campaign.deliveries.get(mobile="13900000000").biz_id == sent.biz_id


@time_machine.travel(NOW, tick=False)
def test_a_service_message_reaches_every_member_with_a_mobile(supervisor, group, committed):
    with committed():
        campaign = campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="门店周日闭店盘点", group=group
        )
    assert sorted(SandboxSms.objects.values_list("mobile", flat=True)) == [
        "13900000000", "13900000001", "13900000002",
    ]  # fmt: skip
    assert statuses(campaign)[""] == SmsDelivery.Status.NO_MOBILE


def test_a_scheduled_campaign_waits_for_its_time_and_goes_once(supervisor, group, committed):
    with time_machine.travel(NOW, tick=False), committed():
        campaign = campaigns.campaign_create(
            actor=supervisor, name="周末", kind="service", content="周末活动",
            group=group, send_at=NOW + timedelta(hours=2),
        )  # fmt: skip
    assert campaigns.campaigns_send_due(now=NOW + timedelta(hours=1, minutes=59)) == 0
    assert not SandboxSms.objects.exists()
    assert campaigns.campaigns_send_due(now=NOW + timedelta(hours=2)) == 1
    assert campaigns.campaigns_send_due(now=NOW + timedelta(hours=2, minutes=1)) == 0
    assert SandboxSms.objects.count() == 3
    campaign.refresh_from_db()
    assert campaign.status == SmsCampaign.Status.SENT
    assert campaign.finished_at is not None


def test_a_failing_gateway_marks_the_delivery_failed(supervisor, group, monkeypatch):
    class Refusing:
        def send(self, mobile, template_code, params):
            raise SmsSendFailed("isv.BUSINESS_LIMIT_CONTROL")

    monkeypatch.setattr(campaigns, "get_provider", Refusing)
    member = group.members.get(mobile="13900000000")
    with time_machine.travel(NOW, tick=False):
        campaign = campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="通知", member=member
        )
        campaigns.campaigns_send_due()
    delivery = campaign.deliveries.get()
    assert (delivery.status, delivery.error) == (
        SmsDelivery.Status.FAILED, "isv.BUSINESS_LIMIT_CONTROL",
    )  # fmt: skip


def test_a_delivery_taken_by_another_sender_is_not_sent_again(supervisor, group):
    member = group.members.get(mobile="13900000000")
    with time_machine.travel(NOW, tick=False):
        campaign = campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="通知", member=member
        )
    SmsCampaign.objects.filter(pk=campaign.pk).update(status=SmsCampaign.Status.SENDING)
    SmsDelivery.objects.create(
        campaign=campaign, member=member, mobile=member.mobile, status=SmsDelivery.Status.SENDING
    )
    # Not sent again, and the campaign stays open while the other sender holds the message.
    assert campaigns.campaigns_send_due(now=NOW) == 0
    assert not SandboxSms.objects.exists()
    campaign.refresh_from_db()
    assert campaign.status == SmsCampaign.Status.SENDING


def stuck_campaign(supervisor, group, *, attempts: int) -> SmsCampaign:
    """A campaign whose sender died at NOW after taking the one message `attempts` times."""
    member = group.members.get(mobile="13900000000")
    with time_machine.travel(NOW - timedelta(minutes=1), tick=False):
        campaign = campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="通知", member=member
        )
    SmsCampaign.objects.filter(pk=campaign.pk).update(status=SmsCampaign.Status.SENDING)
    SmsDelivery.objects.create(
        campaign=campaign, member=member, mobile=member.mobile,
        status=SmsDelivery.Status.SENDING, taken_at=NOW, attempts=attempts,
    )  # fmt: skip
    return campaign


def test_a_message_a_dead_sender_left_is_sent_once_more_after_ten_minutes(supervisor, group):
    campaign = stuck_campaign(supervisor, group, attempts=1)

    with time_machine.travel(NOW + timedelta(minutes=9, seconds=59), tick=False):
        assert campaigns.deliveries_sweep_stuck() == (0, 0)
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        assert campaigns.deliveries_sweep_stuck() == (1, 0)
        assert campaigns.deliveries_sweep_stuck() == (0, 0)
        assert campaigns.campaigns_send_due() == 1

    delivery = campaign.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.taken_at) == (
        SmsDelivery.Status.SENT, 2, NOW + timedelta(minutes=10),
    )  # fmt: skip
    assert list(SandboxSms.objects.values_list("mobile", flat=True)) == ["13900000000"]
    campaign.refresh_from_db()
    assert campaign.status == SmsCampaign.Status.SENT


def test_a_message_stuck_on_its_last_attempt_is_failed_not_sent(supervisor, group):
    campaign = stuck_campaign(supervisor, group, attempts=2)

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        assert campaigns.deliveries_sweep_stuck() == (0, 1)
        assert campaigns.deliveries_sweep_stuck() == (0, 0)
        assert campaigns.campaigns_send_due() == 1

    delivery = campaign.deliveries.get()
    assert (delivery.status, delivery.error) == (
        SmsDelivery.Status.FAILED, "发送程序中断，已尝试 2 次，不再重发。",
    )  # fmt: skip
    assert not SandboxSms.objects.exists()


def test_the_sweep_is_a_fixed_number_of_statements(supervisor, group, django_assert_num_queries):
    stuck_campaign(supervisor, group, attempts=1)
    with django_assert_num_queries(2):
        campaigns.deliveries_sweep_stuck(now=NOW + timedelta(hours=1))


def test_a_member_without_the_right_cannot_send_and_nothing_is_written(group):
    agent = roles.user_grant_role(user=UserFactory(), role=roles.CS_AGENT)
    with pytest.raises(campaigns.CampaignForbidden):
        campaigns.campaign_create(actor=agent, name="", kind="marketing", content="x", group=group)
    assert not SmsCampaign.objects.exists()


def test_a_campaign_names_exactly_one_audience(supervisor, group):
    member = group.members.first()
    for audience in ({}, {"group": group, "member": member}):
        with pytest.raises(campaigns.CampaignInvalid):
            campaigns.campaign_create(
                actor=supervisor, name="", kind="service", content="x", **audience
            )
    assert not SmsCampaign.objects.exists()


def test_a_scheduled_campaign_can_be_cancelled_until_it_starts(supervisor, group):
    with time_machine.travel(NOW, tick=False):
        campaign = campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="x", group=group,
            send_at=NOW + timedelta(days=1),
        )  # fmt: skip
    assert campaigns.campaign_cancel(actor=supervisor, campaign_id=campaign.pk) is True
    assert campaigns.campaigns_send_due(now=NOW + timedelta(days=2)) == 0
    assert campaigns.campaign_cancel(actor=supervisor, campaign_id=campaign.pk) is False
    assert not SandboxSms.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_page_schedules_a_campaign_for_a_site_time(client, supervisor, group):
    client.force_login(supervisor)
    answer = client.post(SMS, {
        "name": "周末", "kind": "service", "content": "周末活动", "audience": "group",
        "group": group.pk, "send_on": "2026-03-03", "send_time": "09:30",
    })  # fmt: skip
    assert answer.status_code == 302
    campaign = SmsCampaign.objects.get()
    assert campaign.send_at == datetime(2026, 3, 3, 1, 30, tzinfo=UTC)
    assert campaign.status == SmsCampaign.Status.SCHEDULED
    listing = client.get(SMS).content.decode()
    assert "周末" in listing and "东胜区会员" in listing


def test_the_page_refuses_an_agent(client, group):
    agent = roles.user_grant_role(user=UserFactory(), role=roles.CS_AGENT)
    client.force_login(agent)
    assert client.get(SMS).status_code == 403
    assert (
        client.post(SMS, {"kind": "service", "content": "x", "group": group.pk}).status_code == 403
    )
    assert not SmsCampaign.objects.exists()


def test_the_campaign_list_reads_a_fixed_number_of_statements(
    client, supervisor, group, django_assert_max_num_queries
):
    for n in range(5):
        with time_machine.travel(NOW, tick=False):
            campaigns.campaign_create(
                actor=supervisor, name=f"c{n}", kind="service", content="x", group=group,
                send_at=NOW + timedelta(days=1),
            )  # fmt: skip
    client.force_login(supervisor)
    client.get(SMS)
    with django_assert_max_num_queries(12):
        assert client.get(SMS).status_code == 200


def test_a_supervisor_keeps_customer_groups_in_the_back_office(client, supervisor):
    member = UserFactory(mobile="13900000009")
    client.force_login(supervisor)
    answer = client.post(
        "/backoffice/notifications/customergroup/add/", {"name": "VIP", "members": [member.pk]}
    )
    assert answer.status_code == 302
    assert list(CustomerGroup.objects.get(name="VIP").members.all()) == [member]


def test_a_group_a_campaign_went_to_is_not_deleted(supervisor, group):
    with time_machine.travel(NOW, tick=False):
        campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="x", group=group,
            send_at=NOW + timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(campaigns.CampaignInvalid):
        campaigns.customer_group_delete(group=group)
    assert CustomerGroup.objects.filter(pk=group.pk).exists()


def test_the_back_office_shows_each_recipients_delivery_status(
    client, supervisor, group, committed
):
    with time_machine.travel(NOW, tick=False), committed():
        campaign = campaigns.campaign_create(
            actor=supervisor, name="春季", kind="marketing", content="新品", group=group
        )
    client.force_login(supervisor)
    page = client.get(f"/backoffice/notifications/smscampaign/{campaign.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("未同意营销短信，未发送") == 2 and "已提交网关" in html


def test_the_periodic_job_sends_a_campaign_within_a_minute_of_its_time(supervisor, group, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-sms-campaigns"]
    assert entry["schedule"] == timedelta(minutes=1)
    with time_machine.travel(NOW, tick=False) as traveller:
        campaigns.campaign_create(
            actor=supervisor, name="", kind="service", content="到店提醒", group=group,
            send_at=NOW + timedelta(seconds=30),
        )  # fmt: skip
        scheduler = EmbeddedScheduler(
            beat_schedule={"send-due-sms-campaigns": entry}, now=timezone.now
        )
        scheduler.tick()
        assert not SandboxSms.objects.exists()
        traveller.shift(timedelta(minutes=1))
        scheduler.tick()
    assert SandboxSms.objects.count() == 3
