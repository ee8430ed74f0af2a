"""The member's shopping bag for the app and the mini-program (ORD-1): the lines at today's
price with what keeps each from being bought, and the writes the bag page offers."""

from typing import Annotated

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import StrictBool

from rongcheng.api.auth import member_auth
from rongcheng.api.catalog import PriceOut
from rongcheng.api.contract import BodyIn, Id, Integer, JsonInteger, Yuan, errors
from rongcheng.cart.errors import BagLineMissing
from rongcheng.cart.selectors import BagView, member_bag
from rongcheng.cart.services import (
    bag_line_add,
    bag_line_set_quantity,
    bag_lines_remove,
    bag_lines_select,
)

router = Router(tags=["bag"], auth=member_auth)

LINE_MAX = settings.RONGCHENG["BAG_LINE_MAX_QUANTITY"]
LINES_MAX = settings.RONGCHENG["BAG_MAX_LINES"]
PROBLEM = (
    "空：可购买；inactive 已下架；not_listed 无门店在售；sold_out 已售罄；short 库存少于所选数量"
)


class BagLineOut(Schema):
    sku_id: int
    sku_code: str
    product_id: int
    product_name: str
    colour: str
    size: str
    quantity: int
    selected: bool
    price: PriceOut
    total: Yuan = Field(description="当前售价 × 数量")
    problem: str = Field(description=PROBLEM)


class BagOut(Schema):
    lines: list[BagLineOut]
    count: int = Field(description="件数合计（页头购物袋角标）")
    selected_total: Yuan = Field(description="已勾选且可购买的商品金额")


Quantity = Annotated[int, Field(ge=1, le=LINE_MAX), JsonInteger]


class LineIn(BodyIn):
    sku_id: Integer
    quantity: Quantity = 1


class QuantityIn(BodyIn):
    quantity: Quantity


class SelectionIn(BodyIn):
    sku_ids: list[Integer] = Field(min_length=1, max_length=LINES_MAX)
    selected: StrictBool


def _bag(view: BagView) -> dict:
    return {
        "lines": [
            {
                "sku_id": line.sku.id,
                "sku_code": line.sku.code,
                "product_id": line.sku.product_id,
                "product_name": line.sku.product.name,
                "colour": line.sku.colour,
                "size": line.sku.size,
                "quantity": line.quantity,
                "selected": line.selected,
                "price": line.price,
                "total": line.total,
                "problem": line.problem,
            }
            for line in view.lines
        ],
        "count": view.count,
        "selected_total": view.selected_total,
    }


@router.get("", response=BagOut, summary="我的购物袋（当前价格、不可购买原因、合计）")
def bag(request):
    return _bag(member_bag(user=request.user))


@router.post(
    "/lines", response={200: BagOut, **errors(409)}, summary="加入购物袋（已有则累加并勾选）"
)
def line_add(request, payload: LineIn):
    bag_line_add(user=request.user, sku_id=payload.sku_id, quantity=payload.quantity)
    return _bag(member_bag(user=request.user))


@router.patch("/lines/{sku_id}", response={200: BagOut, **errors(404, 409)}, summary="修改数量")
def line_quantity(request, sku_id: Id, payload: QuantityIn):
    bag_line_set_quantity(user=request.user, sku_id=sku_id, quantity=payload.quantity)
    return _bag(member_bag(user=request.user))


@router.delete("/lines/{sku_id}", response={200: BagOut, **errors(404)}, summary="删除商品")
def line_remove(request, sku_id: Id):
    if not bag_lines_remove(user=request.user, sku_ids=[sku_id]):
        raise BagLineMissing(_("购物袋里没有这件商品。"))
    return _bag(member_bag(user=request.user))


@router.post("/selection", response=BagOut, summary="勾选或取消勾选（不在购物袋中的 SKU 忽略）")
def selection(request, payload: SelectionIn):
    bag_lines_select(user=request.user, sku_ids=payload.sku_ids, selected=payload.selected)
    return _bag(member_bag(user=request.user))
