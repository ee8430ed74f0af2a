"""Nearby stores (NEAR-1): the visitor's city on PC, by distance from the phone's position;
and a store's own page with everything it sells."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rongcheng.catalog.selectors.cards import ProductSort
from rongcheng.inventory.selectors import store_best_sellers, store_categories, store_goods
from rongcheng.seo.locations import CATALOGUE, LISTINGS, store_scope
from rongcheng.storefront.browse import (
    GENERATION_BLOCK_SECONDS,
    float_param,
    int_param,
    request_tree,
    shared_block,
    shared_markup,
)
from rongcheng.stores.errors import StoreNotFound
from rongcheng.stores.selectors import store_get, stores_in_city, stores_near

NEARBY_LIMIT = 50
STORE_RANKING = 10


def amap_url(store) -> str:
    """A marker on Amap (高德地图): opens the app on phones, the web map elsewhere."""
    query = {
        "position": f"{store.longitude},{store.latitude}",
        "name": store.name,
        "src": "rongcheng",
        "coordinate": "gaode",
        "callnative": "1",
    }
    return "https://uri.amap.com/marker?" + urlencode(query)


def store_blocks(store_id: int) -> dict:
    """A store's categories and best sellers, shown on its page and on the product pages
    it answers for."""
    scopes = _scopes(store_id)
    return {
        # Reading a large store's categories walks all its listings; nothing but a change
        # the generations record alters them, so they are kept until one does.
        "store_categories": shared_block(
            f"store-categories:{store_id}",
            scopes,
            lambda: store_categories(store_id=store_id),
            seconds=GENERATION_BLOCK_SECONDS,
        ),
        # Cards show special prices, whose windows close by the clock.
        "store_ranking": shared_block(
            f"store-ranking:{store_id}",
            scopes,
            lambda: store_best_sellers(store_id=store_id, limit=STORE_RANKING),
        ),
    }


def store_side(store_id: int) -> str:
    """The same two blocks as markup in the active language, beside every product the store
    answers for: the same for every visitor, rendered once a minute."""
    return shared_block(
        f"store-side:{store_id}:{get_language()}",
        _scopes(store_id),
        lambda: shared_markup(
            "product/_store_side.html", {"store_id": store_id, **store_blocks(store_id)}
        ),
    )


def _scopes(store_id: int) -> tuple[str, ...]:
    return (CATALOGUE, LISTINGS, store_scope(store_id))


def nearby(request):
    lat = float_param(request, "lat", -90, 90)
    lng = float_param(request, "lng", -180, 180)
    located = lat is not None and lng is not None
    near = stores_near(latitude=lat, longitude=lng, limit=NEARBY_LIMIT) if located else []
    city = request.city
    in_city = stores_in_city(city_code=city.code) if city and not near else []
    return render(
        request,
        "stores/nearby.html",
        {
            "located": located,
            "near": near,
            "in_city": in_city,
            "amap_url": amap_url,
        },
    )


def store(request, store_id: int):
    shop = store_get(store_id=store_id)
    if shop is None:
        raise StoreNotFound(_("门店不存在或已停业。"))
    category_id = int_param(request, "category")
    if category_id is not None and category_id not in request_tree(request).nodes:
        category_id = None
    sort = request.GET.get("sort", "")
    goods = store_goods(
        store_id=shop.id, category_id=category_id, sort=sort, page=request.GET.get("page", 1)
    )
    return render(
        request,
        "stores/store.html",
        {
            "store": shop,
            "goods": goods,
            "category_id": category_id,
            "sort": sort if sort in ProductSort.values else ProductSort.SALES,
            "sorts": ProductSort.choices,
            **store_blocks(shop.id),
            "map_url": amap_url(shop),
        },
    )
