"""Figures about members and staff for the back-office dashboard (reads only)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db.models import Count, Q

from rongcheng.accounts import roles
from rongcheng.accounts.models import User
from rongcheng.core.dates import day_start, local_day


@dataclass(frozen=True)
class MemberSignups:
    today: int
    last_7_days: int
    total: int


def member_signups(*, now: datetime | None = None) -> MemberSignups:
    """Members who registered today and in the last 7 days, counted by local calendar day;
    the total leaves out closed accounts. Staff accounts are no members: back-office staff,
    superusers and store staff (roles.user_is_staff_account)."""
    today = local_day(now)
    members = User.objects.filter(is_staff=False, is_superuser=False).exclude(
        store_memberships__isnull=False
    )
    figures = members.aggregate(
        today=Count("pk", filter=Q(date_joined__gte=day_start(today))),
        last_7_days=Count("pk", filter=Q(date_joined__gte=day_start(today - timedelta(days=6)))),
        total=Count("pk", filter=Q(closed_at__isnull=True)),
    )
    return MemberSignups(**figures)


def staff_per_role() -> list[tuple[Group, int]]:
    """Every role with its number of active staff; seeded roles first, in their order."""
    groups = Group.objects.annotate(
        staff=Count("user", filter=Q(user__is_staff=True, user__is_active=True))
    )
    order = {name: i for i, name in enumerate(roles.SEEDED)}
    ranked = sorted(groups, key=lambda g: (order.get(g.name, len(order)), g.name))
    return [(group, group.staff) for group in ranked]
