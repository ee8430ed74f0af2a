from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.regions.dataset import RegionRow
from rongcheng.regions.errors import UnknownCity
from rongcheng.regions.models import Region
from rongcheng.regions.selectors import cities_forget

SESSION_KEY = "city_code"
_LOADED_FIELDS = ("name", "level", "parent_id", "longitude", "latitude", "pinyin", "initials")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def regions_load(*, rows: Iterable[RegionRow]) -> LoadResult:
    """Bring the regions table in line with the data file: one upsert of what differs.

    Rows missing from the file are kept, since addresses and stores may refer to them.
    """
    with transaction.atomic():
        stored = {
            code: values for code, *values in Region.objects.values_list("code", *_LOADED_FIELDS)
        }
        changed = []
        created = unchanged = 0
        for row in rows:
            values = [
                row.name, row.level, row.parent or None, row.longitude, row.latitude,
                row.pinyin, row.initials,
            ]  # fmt: skip
            if stored.get(row.code) == values:
                unchanged += 1
                continue
            created += row.code not in stored
            changed.append(Region(code=row.code, **dict(zip(_LOADED_FIELDS, values, strict=True))))
        # Parents first, so the rows are valid at every point even without deferred checks.
        changed.sort(key=lambda region: (region.level, region.code))
        Region.objects.bulk_create(
            changed,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[field.removesuffix("_id") for field in _LOADED_FIELDS],
        )
        stale_codes = [region.code for region in changed]
        transaction.on_commit(lambda: cities_forget(stale_codes))
    return LoadResult(created=created, updated=len(changed) - created, unchanged=unchanged)


def visitor_city_set(*, session, code: str) -> Region:
    """Remember the city the visitor picked for the rest of their visit (MALL-2)."""
    city = Region.objects.filter(code=code, level=Region.Level.CITY).first()
    if city is None:
        raise UnknownCity(_("没有这个城市，请重新选择。"), field="code")
    session[SESSION_KEY] = city.code
    return city
