"""Sharing (ROLE-1): the QR code of a product or store page for WeChat (scan to open it),
drawn with segno as SVG. Weibo needs only its share link, which the pages build."""

from io import BytesIO

import segno
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import cache_control

from rongcheng.catalog.models import Product
from rongcheng.stores.models import Store


def _qr(request, path: str) -> HttpResponse:
    out = BytesIO()
    segno.make(request.build_absolute_uri(path), error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False
    )
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@cache_control(public=True, max_age=86400)
def product_qr(request, product_id: int):
    get_object_or_404(Product, id=product_id, is_active=True)
    return _qr(request, reverse("storefront:product", args=[product_id]))


@cache_control(public=True, max_age=86400)
def store_qr(request, store_id: int):
    get_object_or_404(Store, id=store_id, is_active=True)
    return _qr(request, reverse("storefront:store", args=[store_id]))
