"""到货通知 for the app and the mini-program (OOS-1): register for a sold-out SKU in a city,
the member's registrations with their state, and cancelling one."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import MOBILE, REGION_CODE, BodyIn, Id, Integer, JsonInteger, errors
from rongcheng.restock.models import Registration
from rongcheng.restock.selectors import member_registrations
from rongcheng.restock.services import QUANTITY_MAX, restock_cancel, restock_register

router = Router(tags=["restock"], auth=member_auth)


class RegistrationOut(Schema):
    id: int
    sku_id: int
    product_id: int
    product_name: str
    colour: str
    size: str
    city_code: str
    quantity: int
    state: str = Field(description="waiting / notified / contacted / ordered / closed")
    order_number: str = Field(description="客服代下的订单号（state 为 ordered 时）")
    created_at: datetime


class RegistrationPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[RegistrationOut]


class RegistrationIn(BodyIn):
    sku_id: Integer
    city_code: str = Field(pattern=REGION_CODE)
    quantity: Annotated[int, Field(ge=1, le=QUANTITY_MAX), JsonInteger]
    mobile: str = Field(pattern=MOBILE)
    consent: Literal[True] = Field(description="同意门店和客服就本次到货联系（必须为 true）")


class RestockPageQuery(Schema):
    page: int = Field(1, ge=1)


def _out(registration: Registration) -> dict:
    return {
        "id": registration.id,
        "sku_id": registration.sku_id,
        "product_id": registration.product_id,
        "product_name": registration.product.name,
        "colour": registration.sku.colour,
        "size": registration.sku.size,
        "city_code": registration.city_id,
        "quantity": registration.quantity,
        "state": registration.state,
        "order_number": registration.order_number,
        "created_at": registration.created_at,
    }


@router.post("", response={201: RegistrationOut, **errors(404)}, summary="登记到货通知")
def register(request, payload: RegistrationIn):
    """404 `restock_sku_unavailable` or `restock_city_unknown`.
    Registering the same SKU again changes the waiting registration."""
    registration = restock_register(
        member=request.user,
        sku_id=payload.sku_id,
        city_code=payload.city_code,
        quantity=payload.quantity,
        mobile=payload.mobile,
        consent=payload.consent,
    )
    return Status(201, _out(registration))


@router.get("", response=RegistrationPageOut, summary="我的到货通知登记")
def registration_list(request, query: Query[RestockPageQuery]):
    page = member_registrations(member=request.user, page=query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_out(registration) for registration in page.object_list],
    }


@router.post(
    "/{registration_id}/cancel",
    response={200: RegistrationOut, **errors(404, 409)},
    summary="取消到货通知登记",
)
def registration_cancel(request, registration_id: Id):
    """409 `restock_state_invalid`: already ordered or closed."""
    registration = restock_cancel(member=request.user, registration_id=registration_id)
    return _out(Registration.objects.select_related("product", "sku").get(id=registration.id))
