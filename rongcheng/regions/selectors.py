import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from rongcheng.core.process_copies import ProcessCopies
from rongcheng.regions.models import Region

_NOT_PINYIN = re.compile(r"[\s'’]+")
_CODE = re.compile(r"^\d{6}$")
# Cities are reference data that change only when load_regions runs: every request needs the
# visitor's city, and from the cache a page served from the page cache needs no query at all.
CITY_CACHE_SECONDS = 24 * 60 * 60
# And each process keeps the cities it read for a minute (core/process_copies.py).
_CITIES = ProcessCopies(seconds=60)


def city_cache_key(code: str) -> str:
    return f"regions:city:{code}"


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def city_get(*, code: str) -> Region | None:
    if not _CODE.match(code):  # not a GB/T 2260 code (say, a forged cookie): no such city
        return None
    return _CITIES.get(code, lambda: _cached_city(code))


def cities_forget(codes: list[str]) -> None:
    """Drop the cached cities of `codes`: from the shared cache, and this process's copies
    (other processes drop theirs within a minute)."""
    cache.delete_many([city_cache_key(code) for code in codes])
    _CITIES.clear()


def _cached_city(code: str) -> Region | None:
    city = cache.get(city_cache_key(code))
    if city is None:
        city = Region.objects.filter(code=code, level=Region.Level.CITY).first()
        if city is not None:
            cache.set(city_cache_key(code), city, CITY_CACHE_SECONDS)
    return city


def default_city() -> Region | None:
    return city_get(code=settings.RONGCHENG["DEFAULT_CITY_CODE"])


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")


def region_children(*, code: str) -> QuerySet[Region]:
    """The cities of a province or the districts of a city, for address cascades."""
    return Region.objects.filter(parent_id=code).order_by("code")


def city_search(*, query: str = "") -> QuerySet[Region]:
    """Cities (and the four municipalities) matching a Chinese name, full pinyin or initials.

    "鄂尔多斯", "eerduosi", "eeds" and "Xi'an" all work; results are in pinyin order.
    """
    cities = Region.objects.filter(level=Region.Level.CITY)
    query = query.strip()
    spelled = _NOT_PINYIN.sub("", query).lower()
    if query:
        matches = Q(name__contains=query)
        if spelled:
            matches |= Q(pinyin__startswith=spelled) | Q(initials__startswith=spelled)
        cities = cities.filter(matches)
    return cities.order_by("pinyin", "code")


def hot_city_codes() -> list[str]:
    """The cities shown first in the city picker, in the order operations chose."""
    return list(settings.RONGCHENG["HOT_CITY_CODES"])


def cities_with_province() -> QuerySet[Region]:
    """Every city with its province, in code order, for selects grouped by province."""
    return (
        Region.objects.filter(level=Region.Level.CITY)
        .select_related("parent")
        .order_by("parent_id", "code")
    )
