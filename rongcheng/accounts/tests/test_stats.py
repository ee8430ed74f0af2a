from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from rongcheng.accounts import roles, stats
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.core.testing.factories import UserFactory
from rongcheng.stores.tests.factories import StoreMembershipFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_signups_count_by_local_calendar_day(regions):
    now = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    UserFactory(date_joined=datetime(2026, 3, 10, 0, 5, tzinfo=SHANGHAI))  # today
    UserFactory(date_joined=datetime(2026, 3, 9, 23, 55, tzinfo=SHANGHAI))  # yesterday
    UserFactory(date_joined=datetime(2026, 3, 4, 0, 0, tzinfo=SHANGHAI))  # 6 days back: in
    UserFactory(date_joined=datetime(2026, 3, 3, 23, 59, tzinfo=SHANGHAI))  # 7 days back: out
    UserFactory(date_joined=now - timedelta(days=30), closed_at=now)  # closed
    staff_with_role(roles.CS_AGENT, date_joined=now)  # staff are not members
    UserFactory(date_joined=now, is_superuser=True)  # nor superusers
    # nor store staff, who need no back office
    StoreMembershipFactory(store__city=regions["150600"], user__date_joined=now)
    assert stats.member_signups(now=now) == stats.MemberSignups(today=1, last_7_days=3, total=4)


@pytest.mark.parametrize(
    ("now", "today", "last_7_days"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), 1, 3),
        (datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), 1, 3),
        (datetime(2026, 12, 31, 15, 59, tzinfo=UTC), 1, 3),
        (datetime(2026, 12, 31, 16, 1, tzinfo=UTC), 1, 3),
    ],
)
def test_signups_turn_at_midnight_in_shanghai_whatever_the_active_time_zone(
    now, today, last_7_days
):
    day = timezone.localtime(now, SHANGHAI).date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    UserFactory(date_joined=midnight)  # today, from its first instant
    UserFactory(date_joined=midnight - timedelta(minutes=1))  # yesterday
    UserFactory(date_joined=midnight - timedelta(days=6))  # first day of the 7
    UserFactory(date_joined=midnight - timedelta(days=6, minutes=1))  # 8 days back: out
    with time_machine.travel(now, tick=False), timezone.override(UTC):
        assert stats.member_signups() == stats.MemberSignups(
            today=today, last_7_days=last_7_days, total=4
        )


def test_staff_per_role_counts_active_staff_and_lists_new_roles_last():
    Group.objects.create(name="区域督导")
    staff_with_role(roles.OPERATIONS)
    staff_with_role(roles.OPERATIONS)
    staff_with_role(roles.OPERATIONS, is_active=False)
    former = staff_with_role(roles.CS_AGENT)
    former.is_staff = False
    former.save()
    counts = [(group.name, count) for group, count in stats.staff_per_role()]
    assert counts == [(name, 2 if name == roles.OPERATIONS else 0) for name in roles.SEEDED] + [
        ("区域督导", 0)
    ]
