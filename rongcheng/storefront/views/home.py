"""The home page (HOME-1…4): the areas operations arranged, in their order and templates."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import get_language

from rongcheng.cms.models import HomeArea
from rongcheng.cms.selectors import home_page
from rongcheng.seo.locations import CATALOGUE, CMS, LISTINGS, STORES
from rongcheng.storefront.browse import shared_block, shared_markup
from rongcheng.stores.selectors import stores_near

FEATURED_STORES = 10
# Half the Earth's circumference: the nearest recommended stores, however far they are.
ANYWHERE_KM = 20_040
# The home areas as operations arranged them, with products, brands and stores.
HOME_SCOPES = (CATALOGUE, LISTINGS, STORES, CMS)


@dataclass(frozen=True)
class RenderedArea:
    area: HomeArea
    markup: str  # empty for the featured stores: the visitor's nearest, rendered per visit


def rendered_areas() -> list[RenderedArea]:
    """The home areas with their markup in the active language. About fifty product cards,
    the same for every visitor: rendering them was most of a first visit's CPU."""
    return [
        RenderedArea(
            content.area,
            ""
            if content.area.kind == HomeArea.Kind.FEATURED_STORES
            else shared_markup("home/_area.html", {"content": content}),
        )
        for content in home_page()
    ]


def home(request):
    areas = shared_block(f"home:{get_language()}", HOME_SCOPES, rendered_areas)
    city = request.city
    stores = []
    if city and any(item.area.kind == HomeArea.Kind.FEATURED_STORES for item in areas):
        stores = stores_near(
            latitude=city.latitude,
            longitude=city.longitude,
            radius_km=ANYWHERE_KM,
            limit=FEATURED_STORES,
            recommended_only=True,
        )
    return render(request, "home/index.html", {"areas": areas, "stores": stores})
