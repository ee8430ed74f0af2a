"""Nearby stores (NEAR-1) and a store's page with everything it sells."""

import re

import pytest
from django.urls import reverse

from rongcheng.inventory.models import StoreListing
from rongcheng.storefront.browse import category_url
from rongcheng.storefront.tests.browse_data import (
    names_in,
    section,
)
from rongcheng.stores.models import Store

pytestmark = pytest.mark.django_db


def _store_names(html):
    return re.findall(r'<h2><a href="/store/\d+/">([^<]+)</a>', html)


def test_pc_lists_every_store_of_the_visitors_city(client, mall, ordos_visitor):
    html = client.get(reverse("storefront:stores")).content.decode()
    assert "<title>鄂尔多斯市的门店 · 身边店 · 绒城购</title>" in html
    # Recommended first, then by store code; the Beijing store is in another city.
    assert _store_names(html) == ["东胜体验店", "康巴什旗舰店", "伊金霍洛店"]
    assert "公里" not in section(html + "</section>", 'class="store-list"')
    assert (
        'href="https://uri.amap.com/marker?position=109.977000%2C39.817000&amp;name=%E4%B8%9C%E8%83%9C'
        in html
    )
    assert ">在地图中查看</a>" in html and "data-locate" in html


def test_phone_position_sorts_stores_by_distance(client, mall, ordos_visitor):
    html = client.get(reverse("storefront:stores") + "?lat=39.817&lng=109.977").content.decode()
    assert "<title>离我最近的门店 · 身边店 · 绒城购</title>" in html
    assert "按离你的距离由近到远排列。" in html
    # 北京国贸店 is beyond the nearby radius.
    assert _store_names(html) == ["东胜体验店", "康巴什旗舰店", "伊金霍洛店"]
    distances = re.findall(r'<span class="distance">([\d.]+) 公里</span>', html)
    assert distances == ["0.0", "28.7", "34.6"]


def test_position_with_no_store_nearby_falls_back_to_the_city(client, mall, ordos_visitor):
    html = client.get(reverse("storefront:stores") + "?lat=22.54&lng=114.06").content.decode()
    assert "附近没有门店，以下是鄂尔多斯市的门店。" in html
    assert _store_names(html) == ["东胜体验店", "康巴什旗舰店", "伊金霍洛店"]


@pytest.mark.parametrize(
    "query", ["?lat=abc&lng=1", "?lat=91&lng=109", "?lat=39.8", "?lat=nan&lng=nan"]
)
def test_unusable_positions_are_ignored(client, mall, ordos_visitor, query):
    html = client.get(reverse("storefront:stores") + query).content.decode()
    assert _store_names(html) == ["东胜体验店", "康巴什旗舰店", "伊金霍洛店"]
    assert "公里" not in section(html + "</section>", 'class="store-list"')


def test_store_page_shows_its_details_goods_categories_and_best_sellers(
    client, mall, settings, ordos_visitor
):
    settings.RONGCHENG = {**settings.RONGCHENG, "CATALOG_PAGE_SIZE": 8}
    store = mall.store_centre
    StoreListing.objects.filter(store=store, product__in=mall.products[10:]).update(is_listed=False)
    url = reverse("storefront:store", args=[store.id])
    html = client.get(url).content.decode()
    assert "<title>东胜体验店 · 身边店 · 绒城购</title>" in html
    head = section(html, 'class="store-head card"')
    assert "<dd>10:00-22:00</dd>" in head and 'href="tel:0477-8500000"' in head
    assert "https://uri.amap.com/marker?position=109.977000%2C39.817000" in head
    assert "共 10 件商品" in html  # the ten it still sells
    main = html[html.index('class="browse-main"') : html.index('class="browse-side"')]
    assert names_in(main) == [f"常规款{i}" for i in range(9, 1, -1)]  # by sales, 8 a page
    assert 'href="?page=2" rel="next">下一页</a>' in main
    assert names_in(client.get(url + "?page=2").content.decode()) == ["常规款1", "常规款0"]
    categories = section(html + "</section>", 'aria-label="本店分类"').split("</nav>")[0]
    assert re.findall(r'">([^<]+)</a>', categories) == [
        "全部",
        "羊绒衫",
        "羊绒大衣",
        "男装",
        "家居",
    ]
    # Listing sales are i % 13 in every store: 9, 8, 7 … among the ten listed.
    ranking = section(html, ">本店热销</h2>")
    assert re.findall(r'<span class="ranking-name">([^<]+)</span>', ranking)[:3] == [
        "常规款9",
        "常规款8",
        "常规款7",
    ]
    men = client.get(f"{url}?category={mall.men.id}").content.decode()
    assert names_in(men[men.index('class="browse-main"') : men.index('class="browse-side"')]) == [
        "常规款6",
        "常规款2",
    ]
    assert category_url(mall.men.id, "男装") not in categories  # filters, not leaves


def test_closed_unknown_and_fulfillment_stores_are_not_found(client, mall):
    Store.objects.filter(id=mall.store_far.id).update(is_active=False)
    centre = Store.objects.create(
        code="fc",
        name="发货中心",
        kind=Store.Kind.FULFILLMENT,
        city=mall.store_near.city,
        address="仓库",
        latitude=mall.store_near.latitude,
        longitude=mall.store_near.longitude,
        phone="0477-1",
    )
    for store_id in (mall.store_far.id, centre.id, 999999):
        assert client.get(reverse("storefront:store", args=[store_id])).status_code == 404
    assert "伊金霍洛店" not in client.get(reverse("storefront:stores")).content.decode()


def test_store_pages_query_count(client, sized_mall, ordos_visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(reverse("storefront:stores")).status_code == 200
    with django_assert_max_num_queries(3):
        response = client.get(reverse("storefront:stores") + "?lat=39.6&lng=109.78")
    assert _store_names(response.content.decode())[0] == "康巴什旗舰店"
    url = reverse("storefront:store", args=[sized_mall.store_near.id])
    with django_assert_max_num_queries(7):
        response = client.get(f"{url}?category={sized_mall.women.id}&page=2&sort=price")
    assert response.status_code == 200
