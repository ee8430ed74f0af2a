from ninja import Router, Schema

from rongcheng.regions.selectors import city_search

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
