"""Sharing: the product and store pages link to Weibo's share page and show a QR code of
themselves for WeChat."""

import pytest
import segno
from django.urls import reverse

from rongcheng.checkout.tests.buying import build_mall

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall(regions):
    return build_mall(regions)


def test_pages_offer_weibo_and_the_wechat_qr(client, mall):
    html = client.get(f"/product/{mall.product.id}/").content.decode()
    assert "service.weibo.com/share/share.php?url=http%3A//testserver/product/" in html
    assert reverse("storefront:share_product_qr", args=[mall.product.id]) in html
    store = client.get(f"/en/store/{mall.store_a.id}/").content.decode()
    assert reverse("storefront:share_store_qr", args=[mall.store_a.id]) in store
    assert "Share on WeChat" in store


def test_the_qr_code_encodes_the_page(client, mall):
    response = client.get(reverse("storefront:share_product_qr", args=[mall.product.id]))
    assert response["Content-Type"] == "image/svg+xml"
    expected = segno.make(f"http://testserver/product/{mall.product.id}/", error="m")
    size = (expected.symbol_size(scale=4, border=2))[0]
    assert response.content.startswith(b"<svg") and f'width="{size}"'.encode() in response.content
    mall.product.is_active = False
    mall.product.save()
    assert (
        client.get(reverse("storefront:share_product_qr", args=[mall.product.id])).status_code
        == 404
    )
