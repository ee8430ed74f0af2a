from django.utils.translation import gettext as _
from ninja import Router, Schema

from rongcheng.core.errors import NotFound
from rongcheng.regions.selectors import city_search, region_children, region_get

router = Router(tags=["regions"])


class CityOut(Schema):
    code: str
    name: str
    pinyin: str
    longitude: float
    latitude: float


@router.get("/cities", response=list[CityOut], summary="按中文名、拼音或首字母查找城市")
def cities(request, q: str = ""):
    return city_search(query=q)[:50]


class RegionChildOut(Schema):
    code: str
    name: str
    level: int


@router.get(
    "/{code}/children",
    response=list[RegionChildOut],
    summary="下一级地区：省的城市、城市的区县（用于收货地址三级联动）",
)
def region_children_list(request, code: str):
    if region_get(code=code) is None:
        raise NotFound(_("没有这个地区。"))
    return list(region_children(code=code))
