"""The product page (PDP-1, PDP-2): gallery, video, parameters, the SKU picker with the price
in force and the stock in the visitor's city, and the nearest store that sells it."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.html import json_script

from rongcheng.catalog.selectors.detail import SkuInfo, product_detail
from rongcheng.core.jinja2env import localtime
from rongcheng.core.money import to_yuan
from rongcheng.core.translation import localized
from rongcheng.inventory.selectors import product_availability
from rongcheng.questions.selectors import product_answered_questions
from rongcheng.storefront.browse import breadcrumbs, float_param, int_param, request_tree
from rongcheng.storefront.views.stores import amap_url, store_side


@dataclass(frozen=True)
class Choice:
    """One colour or size button: the SKU it leads to (None: not made in that combination).
    The key (the Chinese value) ties buttons, pictures and the page's SKU data together;
    the label is what the visitor reads."""

    key: str
    label: str
    sku_id: int | None
    current: bool
    swatch: str = ""


def _chosen(skus: list[SkuInfo], sku_id: int | None) -> SkuInfo | None:
    return next((sku for sku in skus if sku.id == sku_id), skus[0] if skus else None)


def _choices(skus: list[SkuInfo], chosen: SkuInfo) -> tuple[list[Choice], list[Choice]]:
    """Colour buttons keep the chosen size where that colour has it; size buttons keep the
    chosen colour. The page's script applies the same rule without a reload."""
    by_pair = {(sku.colour, sku.size): sku for sku in skus}
    colours = []
    for colour, swatch in dict.fromkeys((sku.colour, sku.colour_hex) for sku in skus):
        target = by_pair.get((colour, chosen.size)) or next(s for s in skus if s.colour == colour)
        label = localized(target, "colour")
        colours.append(Choice(colour, label, target.id, colour == chosen.colour, swatch))
    sizes = []
    for size in dict.fromkeys(sku.size for sku in skus):
        target = by_pair.get((chosen.colour, size))
        label = localized(target or next(s for s in skus if s.size == size), "size")
        sizes.append(Choice(size, label, target.id if target else None, size == chosen.size))
    return colours, sizes


def detail(request, product_id: int):
    info = product_detail(product_id=product_id, tree=request_tree(request))
    chosen = _chosen(info.skus, int_param(request, "sku"))
    city = request.city
    sku_ids = [sku.id for sku in info.skus]
    lat = float_param(request, "lat", -90, 90)
    lng = float_param(request, "lng", -180, 180)
    if (lat is None or lng is None) and city:
        lat, lng = float(city.latitude), float(city.longitude)
    # Stock in the visitor's city, the nearest seller, and (ORD-1) whether each SKU offers
    # "add to bag" and "buy now": a sold-out SKU offers neither.
    available = product_availability(
        product_id=product_id,
        sku_ids=sku_ids,
        city_code=city.code if city else None,
        latitude=lat,
        longitude=lng,
    )
    stock, sellable, seller = available.city_units, available.sellable, available.seller
    colours, sizes = _choices(info.skus, chosen) if chosen else ([], [])
    images = info.images
    colour = chosen.colour if chosen else ""
    main_image = next((image for image in images if image.colour == colour), None)
    sku_data = [
        {
            "id": sku.id,
            "colour": sku.colour,
            "size": sku.size,
            "label": f"{localized(sku, 'colour')} / {localized(sku, 'size')}",
            "amount": str(to_yuan(sku.price.amount)),
            "regular": str(to_yuan(sku.price.regular)),
            "special": sku.price.is_special,
            "ends": localtime(sku.price.special_ends_at, "m-d H:i"),
            "stock": stock.get(sku.id, 0),
            "sellable": sellable.get(sku.id, False),
        }
        for sku in info.skus
    ]
    return render(
        request,
        "product/detail.html",
        {
            "info": info,
            "product": info.product,
            "crumbs": breadcrumbs(info.breadcrumbs, (localized(info.product), "")),
            "chosen": chosen,
            "colours": colours,
            "sizes": sizes,
            "main_image": main_image or (images[0] if images else None),
            "stock": stock.get(chosen.id, 0) if chosen else 0,
            "in_stock": any(count > 0 for count in stock.values()),
            "sellable": bool(chosen and sellable.get(chosen.id)),
            "sku_json": json_script(sku_data, "sku-data"),
            "seller": seller,
            "seller_map_url": amap_url(seller.store) if seller else "",
            "questions": product_answered_questions(product_id=product_id),
            "store_side": store_side(seller.store.id) if seller else "",
        },
    )
