"""The brand hall and brand pages (BRAND-1), and the special sale (SALE-1)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rongcheng.catalog.models import Brand, BrandFeature, Sku
from rongcheng.catalog.tests.factories import make_product
from rongcheng.storefront.tests.browse_data import (
    DAY,
    card_html,
    names_in,
    section,
)

pytestmark = pytest.mark.django_db


def _hall(client, query=""):
    return client.get(reverse("storefront:brands") + query).content.decode()


def test_brand_hall_features_the_brand_of_the_current_window_on_top(client, mall):
    html = _hall(client)
    assert "<title>品牌馆 · 绒城购</title>" in html
    featured = section(html, 'class="featured-brands"')
    assert "<strong>1436</strong>" in featured and "<em>顶级小山羊绒</em>" in featured
    wall = section(html + "</section>", 'class="brand-wall brand-wall-large"')
    assert "<span>鄂尔多斯</span>" in wall and "1436" not in wall
    # 绒城 has not paid for the hall.
    assert f'href="{reverse("storefront:brand", args=[mall.rongcheng.id])}"' not in html


def test_featured_brands_rotate_with_their_windows(client, mall):
    BrandFeature.objects.all().delete()
    now = timezone.now()
    BrandFeature.objects.create(brand=mall.erdos, starts_at=now - DAY, ends_at=now + DAY)
    BrandFeature.objects.create(brand=mall.brand_1436, starts_at=now + DAY, ends_at=now + 2 * DAY)
    featured = section(_hall(client), 'class="featured-brands"')
    assert "<strong>鄂尔多斯</strong>" in featured and "1436" not in featured


def test_brand_hall_filters_by_audience(client, mall):
    BrandFeature.objects.all().delete()
    men = _hall(client, "?audience=men")
    assert "<span>鄂尔多斯</span>" in men and "<span>1436</span>" not in men
    assert 'href="/brands/?audience=men" class="current">男士</a>' in men
    women = _hall(client, "?audience=women")
    assert "<span>鄂尔多斯</span>" in women and "<span>1436</span>" in women
    unknown = _hall(client, "?audience=robots")  # unknown audiences show every brand
    assert 'href="/brands/" class="current">全部</a>' in unknown


def test_brand_page_lists_its_goods_by_category(client, mall, ordos_visitor):
    url = reverse("storefront:brand", args=[mall.erdos.id])
    html = client.get(url).content.decode()
    assert "<title>鄂尔多斯 ERDOS · 品牌馆 · 绒城购</title>" in html
    # 鄂尔多斯 has the filler goods i % 3 == 0 of 20, by sales (i) descending.
    assert names_in(html) == [f"常规款{i}" for i in (18, 15, 12, 9, 6, 3, 0)]
    html = client.get(f"{url}?category={mall.men.id}").content.decode()
    assert names_in(html) == ["常规款18", "常规款6"]
    assert f'href="?category={mall.men.id}" class="current">男装</a>' in html


def test_unknown_or_inactive_brand_is_not_found(client, mall):
    Brand.objects.filter(id=mall.rongcheng.id).update(is_active=False)
    assert client.get(reverse("storefront:brand", args=[mall.rongcheng.id])).status_code == 404
    assert client.get(reverse("storefront:brand", args=[999999])).status_code == 404


def test_brand_pages_query_count(client, sized_mall, ordos_visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(reverse("storefront:brands") + "?audience=women").status_code == 200
    url = reverse("storefront:brand", args=[sized_mall.erdos.id])
    with django_assert_max_num_queries(6):
        assert client.get(f"{url}?category={sized_mall.men.id}&page=2").status_code == 200


# --- Special sale (SALE-1) -------------------------------------------------------------------


def _sale(client, query=""):
    return client.get(reverse("storefront:sale") + query).content.decode()


def test_special_sale_lists_only_goods_on_special_now(client, mall, ordos_visitor):
    now = timezone.now()
    ended = make_product(name="已结束特价", category=mall.knit, brand=mall.erdos)
    Sku.objects.filter(product=ended).update(
        special_price=Decimal("100.00"),
        special_starts_at=now - 3 * DAY,
        special_ends_at=now - DAY,
    )
    html = _sale(client)
    assert "<title>特卖场 · 绒城购</title>" in html
    assert names_in(html) == ["常规款15", "常规款10", "常规款5", "常规款0"]
    card = card_html(html, "常规款5")
    assert '<span class="price price-special"><small>¥</small>1505.00</span>' in card
    assert '<del class="price-regular" title="全国统一价">¥2005.00</del>' in card


def test_special_sale_filters_by_audience_and_category(client, mall, ordos_visitor):
    # filler audience: even i women, odd i men; category: i % 4 (0 羊绒衫, 1 大衣, 2 男装, 3 家居)
    assert names_in(_sale(client, "?audience=men")) == ["常规款15", "常规款5"]
    assert names_in(_sale(client, f"?category={mall.women.id}")) == ["常规款5", "常规款0"]
    html = _sale(client, f"?audience=women&category={mall.knit.id}&sort=price")
    assert names_in(html) == ["常规款0"]
    query = f"audience=women&amp;category={mall.knit.id}&amp;sort=price"
    assert f'href="?{query}" class="current">女士</a>' in html
    women = f"audience=women&amp;category={mall.women.id}&amp;sort=price"
    assert f'href="?{women}" class="current">女装</a>' in html
    assert f'href="?{query}" class="current">羊绒衫</a>' in html  # the subcategory row


def test_special_sale_query_count(client, sized_mall, ordos_visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(reverse("storefront:sale") + "?audience=women&page=1")
    assert response.status_code == 200
    assert len(names_in(response.content.decode())) == (2 if len(sized_mall.products) == 20 else 40)


def test_special_price_outside_its_window_is_not_on_sale(client, mall, ordos_visitor):
    Sku.objects.filter(special_price__isnull=False).update(
        special_starts_at=timezone.now() + datetime.timedelta(hours=1),
        special_ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    html = _sale(client)
    assert names_in(html) == [] and "暂时没有符合条件的特价商品。" in html
