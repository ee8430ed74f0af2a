from django.utils.translation import gettext as _

from rongcheng.regions.errors import UnknownCity
from rongcheng.regions.models import Region

SESSION_KEY = "city_code"


def visitor_city_set(*, session, code: str) -> Region:
    """Remember the city the visitor picked for the rest of their visit (MALL-2)."""
    city = Region.objects.filter(code=code, level=Region.Level.CITY).first()
    if city is None:
        raise UnknownCity(_("没有这个城市，请重新选择。"), field="code")
    session[SESSION_KEY] = city.code
    return city
