"""IP address → city (MALL-2), behind one small interface with two backends.

With `RONGCHENG["IP2REGION_XDB"]` pointing at an ip2region xdb file, addresses are looked up
in it (py-ip2region, the official binding); otherwise every address gets the default city
`RONGCHENG["DEFAULT_CITY_CODE"]`.
"""

import logging
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from ip2region import searcher as xdb
from ip2region import util as xdb_util

from rongcheng.regions.models import Region
from rongcheng.regions.names import short_name
from rongcheng.regions.selectors import city_get, default_city

logger = logging.getLogger(__name__)


class CityLocator(Protocol):
    def locate(self, ip: str | None) -> Region | None:
        """The city of an address; the default city when the address tells nothing."""


class DefaultCityLocator:
    def locate(self, ip: str | None) -> Region | None:
        return default_city()


class Ip2RegionLocator:
    """Looks addresses up in an ip2region xdb file held in memory.

    A searcher built on the whole file content is safe to share between threads, and the
    file (about 11 MB for the full data) is read once per process.
    """

    def __init__(self, path: str):
        xdb_util.verify_from_file(path)
        version = xdb_util.version_from_header(xdb_util.load_header_from_file(path))
        if version is None:
            raise ValueError(f"{path}: unknown IP version in the xdb header")
        self._searcher = xdb.new_with_buffer(version, xdb_util.load_content_from_file(path))

    def region_text(self, ip: str) -> str:
        """The raw region text, e.g. "中国|广东省|深圳市|电信|CN"; "" when unknown."""
        try:
            return self._searcher.search(ip)
        except ValueError:  # not an address, or IPv6 against an IPv4 file
            return ""

    def locate(self, ip: str | None) -> Region | None:
        return (ip and city_from_region_text(self.region_text(ip))) or default_city()


def city_from_region_text(text: str) -> Region | None:
    """Our city for ip2region's text, whichever of its layouts the file uses.

    Layouts: 国家|省份|城市|ISP (and a country code after it in the 2025 data), or the
    older 国家|区域|省份|城市|ISP; unknown parts are "0". Names may lack 省/市 or carry
    them (北京 / 北京市). A province without a known city gives its capital, which
    GB/T 2260 always numbers PP01.
    """
    parts = [part.strip() for part in text.split("|")]
    if parts[0] != "中国":
        return None
    names = [part for part in parts[1:4] if part and part != "0"]
    # The province is the first name that is one (the old 区域 field may hold 华北).
    for position, name in enumerate(names[:2]):
        province = _match(name, level=Region.Level.PROVINCE)
        if province is not None:
            following = names[position + 1 : position + 2]
            city = following and _match(following[0], level=Region.Level.CITY, parent=province)
            return city or city_get(code=province.code[:2] + "0100")
    return None


def _match(name: str, *, level: int, parent: Region | None = None) -> Region | None:
    short = short_name(name)
    candidates = Region.objects.filter(level=level, name__startswith=short)
    if parent is not None:
        candidates = candidates.filter(parent=parent)
    return next((region for region in candidates if short_name(region.name) == short), None)


@lru_cache(maxsize=4)
def _locator_for(path: str) -> CityLocator:
    if not path:
        return DefaultCityLocator()
    try:
        return Ip2RegionLocator(path)
    except (OSError, ValueError) as error:
        logger.error(
            "IP2REGION_XDB %s is unusable, every visitor gets the default city: %s", path, error
        )
        return DefaultCityLocator()


def city_locator() -> CityLocator:
    return _locator_for(settings.RONGCHENG["IP2REGION_XDB"])
