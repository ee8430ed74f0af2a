"""Regions: city search and picking the visitor's city (MALL-2), provinces and children for
address cascades."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from rongcheng.api.contract import BodyIn, errors
from rongcheng.regions.errors import UnknownRegion
from rongcheng.regions.middleware import remember_city, visitor_city
from rongcheng.regions.selectors import city_search, provinces, region_children, region_get
from rongcheng.regions.services import visitor_city_set

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    pinyin: str
    initials: str
    longitude: float
    latitude: float


class CityIn(BodyIn):
    code: str


@router.get("/cities", response=list[RegionOut], summary="按中文名、拼音或首字母查找城市")
def cities(request, q: str = "", limit: int = Query(50, ge=1, le=500)):
    return city_search(query=q[:50])[:limit]


@router.get("/provinces", response=list[RegionOut], summary="省级行政区")
def province_list(request):
    return provinces()


@router.get("/current", response={200: RegionOut, **errors(404)}, summary="访客当前城市")
def current_city(request):
    city = visitor_city(request)
    if city is None:
        raise UnknownRegion(_("还没有城市数据，请联系运营人员。"))
    return city


@router.post("/current", response={200: RegionOut, **errors(404)}, summary="切换访客城市")
def switch_city(request, response: HttpResponse, payload: CityIn):
    city = visitor_city_set(session=request.session, code=payload.code)
    remember_city(response, city)
    return city


@router.get(
    "/{code}/children",
    response={200: list[RegionOut], **errors(404)},
    summary="下级行政区（省→市→区县）",
)
def children(request, code: str):
    if region_get(code=code) is None:
        raise UnknownRegion(_("没有这个地区。"))
    return region_children(code=code)
