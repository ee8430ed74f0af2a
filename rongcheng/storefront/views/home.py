"""The home page (HOME-1…4): the areas operations arranged, in their order and templates."""

from django.shortcuts import render

from rongcheng.cms.models import HomeArea
from rongcheng.cms.selectors import home_page
from rongcheng.seo.locations import CATALOGUE, CMS, LISTINGS, STORES
from rongcheng.storefront.browse import shared_block
from rongcheng.stores.selectors import stores_near

FEATURED_STORES = 10
# Half the Earth's circumference: the nearest recommended stores, however far they are.
ANYWHERE_KM = 20_040
# The home areas as operations arranged them, with products, brands and stores.
HOME_SCOPES = (CATALOGUE, LISTINGS, STORES, CMS)


def home(request):
    areas = shared_block("home", HOME_SCOPES, home_page)
    city = request.city
    stores = []
    if city and any(content.area.kind == HomeArea.Kind.FEATURED_STORES for content in areas):
        stores = stores_near(
            latitude=city.latitude,
            longitude=city.longitude,
            radius_km=ANYWHERE_KM,
            limit=FEATURED_STORES,
            recommended_only=True,
        )
    return render(request, "home/index.html", {"areas": areas, "stores": stores})
