"""The site's calendar (R-13): instants are stored in UTC; every day the platform shows, stores
or compares with is a day in the site's time zone (settings.TIME_ZONE, Asia/Shanghai).

Use these instead of `datetime.date()`, `date.today()` or `timezone.localdate()`: they read the
site's zone, not the server's nor a zone a request may have activated, so the answer does not
change with the hour or the machine.
"""

from datetime import date, datetime, time, tzinfo

from django.utils import timezone


def site_zone() -> tzinfo:
    return timezone.get_default_timezone()


def local_time(moment: datetime | None = None) -> datetime:
    """An instant (now by default) as wall-clock time in the site's zone."""
    return timezone.localtime(moment, site_zone())


def local_day(moment: datetime | None = None) -> date:
    """The site's day of an instant (today by default)."""
    return local_time(moment).date()


def day_start(day: date) -> datetime:
    """The instant the site's day begins: midnight in Asia/Shanghai, 16:00 UTC the day before."""
    return datetime.combine(day, time.min, tzinfo=site_zone())


def as_site_time(value: datetime) -> datetime:
    """An instant from a wall-clock time without a zone (a spreadsheet, a command line): it is
    read as the site's time; a time that carries its zone is kept."""
    return value if timezone.is_aware(value) else timezone.make_aware(value, site_zone())
