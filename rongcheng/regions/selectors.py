from django.conf import settings
from django.db.models import Q, QuerySet

from rongcheng.regions.models import Region


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def default_city() -> Region | None:
    return region_get(code=settings.RONGCHENG["DEFAULT_CITY_CODE"])


def city_search(*, query: str = "") -> QuerySet[Region]:
    """Cities (and the four municipalities) matching a Chinese name, pinyin or initials."""
    cities = Region.objects.filter(level=Region.Level.CITY)
    query = query.strip().lower()
    if query:
        cities = cities.filter(
            Q(name__contains=query) | Q(pinyin__startswith=query) | Q(initials__startswith=query)
        )
    return cities.order_by("pinyin")


def region_children(*, code: str = "") -> QuerySet[Region]:
    """The provinces when code is empty, otherwise the regions directly under that code."""
    if not code:
        return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
    return Region.objects.filter(parent_id=code).order_by("code")


def cities_with_province() -> QuerySet[Region]:
    """Every city with its province, in code order, for selects grouped by province."""
    return (
        Region.objects.filter(level=Region.Level.CITY)
        .select_related("parent")
        .order_by("parent_id", "code")
    )
