"""Who ships each line (拆单), decided on the fetched data alone.

Pick-up: the pick-up store, which must sell the product and hold the units. Courier: the
nearest store of the address's city that sells the product and holds the units, or a
fulfillment center there; else the nearest fulfillment center that holds them.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from rongcheng.checkout.errors import LineUnavailable
from rongcheng.checkout.fetch import CheckoutInfo, Destination, LineInfo, StockOption
from rongcheng.stores.geo import haversine_km


def _distance(option: StockOption, destination: Destination) -> tuple[float, int]:
    km = haversine_km(
        destination.latitude, destination.longitude, option.latitude, option.longitude
    )
    return km, option.store_id


def _store_for(line: LineInfo, info: CheckoutInfo) -> int:
    destination = info.destination
    options = [
        option
        for option in info.options
        if option.sku_id == line.sku_id and option.available >= line.quantity
    ]
    if destination.pickup_store_id is not None:
        candidates = [
            option
            for option in options
            if option.store_id == destination.pickup_store_id and option.listed
        ]
    else:
        candidates = [
            option
            for option in options
            if option.city_code == destination.city_code and (option.listed or option.is_center)
        ] or [option for option in options if option.is_center]
    if not candidates:
        raise LineUnavailable(
            _("%(code)s（%(name)s）库存不足，无法配送到所选地址或门店。")
            % {"code": line.sku_code, "name": line.product_name}
        )
    return min(candidates, key=lambda option: _distance(option, destination)).store_id


def assign_stores(info: CheckoutInfo) -> dict[int, list[LineInfo]]:
    """Shipping store id → its lines, in the order of the checkout's lines."""
    by_store: dict[int, list[LineInfo]] = defaultdict(list)
    for line in info.lines:
        if not line.sellable:
            raise LineUnavailable(
                _("%(code)s（%(name)s）已下架。")
                % {"code": line.sku_code, "name": line.product_name}
            )
        by_store[_store_for(line, info)].append(line)
    return dict(by_store)
