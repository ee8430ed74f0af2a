"""Category pages (CAT-1) and the on-sale categories by type and by brand (CAT-2)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rongcheng.catalog.models import Sku
from rongcheng.catalog.tests.factories import CategoryFactory, make_product
from rongcheng.cms.models import Ad
from rongcheng.core.dates import local_day
from rongcheng.seo.page_cache import HEADER
from rongcheng.storefront.browse import category_url
from rongcheng.storefront.tests.browse_data import (
    DAY,
    card_html,
    category_top_slot,
    names_in,
    section,
    upload_image,
)

pytestmark = pytest.mark.django_db
CATEGORY_QUERIES = 10


@pytest.fixture
def shawls(mall):
    """羊绒披肩 under 女装 with three goods of exact prices, sales and launch dates."""
    shawls = CategoryFactory(name="羊绒披肩", parent=mall.women, position=3)
    today = local_day()
    goods = {
        "格纹披肩": make_product(
            name="格纹披肩",
            category=shawls,
            brand=mall.erdos,
            price=Decimal("899.00"),
            sales_count=30,
            launch_date=today - datetime.timedelta(days=200),
        ),
        "纯色披肩": make_product(
            name="纯色披肩",
            category=shawls,
            brand=mall.brand_1436,
            price=Decimal("699.00"),
            sales_count=80,
            launch_date=today - datetime.timedelta(days=100),
        ),
        "新款流苏披肩": make_product(
            name="新款流苏披肩",
            category=shawls,
            brand=mall.erdos,
            price=Decimal("1299.00"),
            sales_count=5,
            launch_date=today,
        ),
    }
    return shawls, goods


def _url(category, **query):
    url = category_url(category.id, category.name)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_category_page_lists_its_goods_with_guide_breadcrumbs_and_side_blocks(
    client, shawls, ordos_visitor
):
    shawls, _goods = shawls
    response = client.get(_url(shawls))
    html = response.content.decode()
    assert "<title>羊绒披肩 · 女装 · 绒城购</title>" in html
    assert '<meta name="description" content="绒城购羊绒披肩频道：3 件在售好货' in html
    crumbs = section(html, 'class="breadcrumbs"').split("</nav>")[0]
    assert f'<a href="{category_url(shawls.parent.id, "女装")}">女装</a>' in crumbs
    assert '<span aria-current="page">羊绒披肩</span>' in crumbs
    main = html[html.index('class="browse-main"') : html.index('class="browse-side"')]
    assert names_in(main) == ["纯色披肩", "格纹披肩", "新款流苏披肩"]  # by sales
    guide = section(html, 'class="card guide"')
    assert ">鄂尔多斯</a>" in guide and ">1436</a>" in guide and "绒城" not in guide
    assert 'name="q"' in guide and f'action="{_url(shawls)}"' in guide
    ranking = section(html, ">热销排行</h2>")
    assert (
        '<span class="rank rank-1">1</span>\n      <span class="ranking-name">纯色披肩' in ranking
    )
    assert "新款流苏披肩" in section(html, ">新品上架</h2>")
    assert "格纹披肩" not in section(html, ">新品上架</h2>")


def test_search_within_the_category_needs_every_word(client, shawls, ordos_visitor):
    shawls, _goods = shawls
    html = client.get(_url(shawls, q="流苏 新款")).content.decode()
    main = html[html.index('class="browse-main"') : html.index('class="browse-side"')]
    assert names_in(main) == ["新款流苏披肩"]
    assert 'value="流苏 新款"' in html
    html = client.get(_url(shawls, q="围巾")).content.decode()
    assert "在羊绒披肩中没有找到“围巾”，换个词试试。" in html


def test_brand_filter_and_sorts(client, shawls, mall, ordos_visitor):
    shawls, _goods = shawls

    def main_names(**query):
        html = client.get(_url(shawls, **query)).content.decode()
        return names_in(html[html.index('class="browse-main"') : html.index('class="browse-side"')])

    assert main_names(brand=mall.erdos.id) == ["格纹披肩", "新款流苏披肩"]
    assert main_names(sort="price") == ["纯色披肩", "格纹披肩", "新款流苏披肩"]
    assert main_names(sort="-price") == ["新款流苏披肩", "格纹披肩", "纯色披肩"]
    assert main_names(sort="newest") == ["新款流苏披肩", "纯色披肩", "格纹披肩"]


def test_parent_category_includes_its_subtree(client, shawls, mall, ordos_visitor):
    html = client.get(_url(mall.women)).content.decode()
    # 20 filler goods: i % 4 == 0 in 羊绒衫, 1 in 羊绒大衣; plus the three shawls.
    assert "共 13 件商品" in html


def test_pages_are_crawlable_links_that_keep_the_filters(
    client, shawls, mall, settings, ordos_visitor
):
    settings.RONGCHENG = {**settings.RONGCHENG, "CATALOG_PAGE_SIZE": 2}
    shawls, _goods = shawls
    html = client.get(_url(shawls, sort="price")).content.decode()
    pager = section(html, 'class="pager"').split("</nav>")[0]
    assert '<span class="current" aria-current="page">1</span>' in pager
    assert 'href="?sort=price&amp;page=2" rel="next">下一页</a>' in pager
    second = client.get(_url(shawls, sort="price", page=2)).content.decode()
    main = second[second.index('class="browse-main"') : second.index('class="browse-side"')]
    assert names_in(main) == ["新款流苏披肩"]
    assert "<title>羊绒披肩 · 女装 · 第 2 页 · 绒城购</title>" in second
    assert 'href="?sort=price&amp;page=1" rel="prev">上一页</a>' in second


def test_special_price_shows_only_inside_its_window(client, shawls, ordos_visitor):
    shawls, goods = shawls
    now = timezone.now()
    windows = {
        "格纹披肩": (now - DAY, now + DAY),  # in force
        "纯色披肩": (now - 3 * DAY, now - DAY),  # over
        "新款流苏披肩": (now + DAY, now + 3 * DAY),  # not started
    }
    for name, (starts, ends) in windows.items():
        Sku.objects.filter(product=goods[name]).update(
            special_price=Decimal("599.00"), special_starts_at=starts, special_ends_at=ends
        )
    html = client.get(_url(shawls)).content.decode()
    main = html[html.index('class="browse-main"') : html.index('class="browse-side"')]
    cards = {name: card_html(main, name) for name in windows}
    assert '<span class="price price-special"><small>¥</small>599.00</span>' in cards["格纹披肩"]
    assert '<del class="price-regular" title="全国统一价">¥899.00</del>' in cards["格纹披肩"]
    assert '<span class="price"><small>¥</small>699.00</span>' in cards["纯色披肩"]
    assert '<span class="price"><small>¥</small>1299.00</span>' in cards["新款流苏披肩"]
    assert "<del" not in cards["纯色披肩"] and "<del" not in cards["新款流苏披肩"]
    specials = section(html, ">特价好货</h2>")
    assert "格纹披肩" in specials and "纯色披肩" not in specials and "新款流苏披肩" not in specials


def test_category_top_ads_follow_the_category_path(client, shawls, mall, ordos_visitor):
    shawls, _goods = shawls
    slot = category_top_slot()
    now = timezone.now()
    for title, category in [
        ("女装上新", mall.women),
        ("男装特惠", mall.men),
        ("全场", None),
    ]:
        Ad.objects.create(
            slot=slot,
            title=title,
            image=upload_image(),
            category=category,
            starts_at=now - DAY,
            ends_at=now + DAY,
        )
    ads = section(client.get(_url(shawls)).content.decode(), 'class="category-ads"')
    assert 'alt="女装上新"' in ads and 'alt="全场"' in ads and "男装特惠" not in ads


def test_a_wrong_slug_moves_permanently_and_keeps_the_query(client, shawls):
    shawls, _goods = shawls
    url = reverse("storefront:category", kwargs={"category_id": shawls.id, "slug": "old"})
    response = client.get(url + "?sort=price")
    assert response.status_code == 301
    assert response["Location"] == _url(shawls) + "?sort=price"
    assert _url(shawls).endswith(f"/category/{shawls.id}-yang-rong-pi-jian/")


def test_unknown_or_inactive_category_is_not_found(client, mall):
    assert client.get("/category/999999-x/").status_code == 404
    mall.home.is_active = False
    mall.home.save()
    from rongcheng.catalog.services import category_tree_invalidate

    category_tree_invalidate()
    assert client.get(_url(mall.home)).status_code == 404


def test_category_query_count_does_not_grow_with_the_catalogue(
    client, sized_mall, ordos_visitor, django_assert_max_num_queries
):
    url = _url(sized_mall.women, q="常规", brand=sized_mall.erdos.id, page=2)
    with django_assert_max_num_queries(CATEGORY_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


# --- On-sale categories (CAT-2) --------------------------------------------------------------


def test_on_sale_categories_by_type_leave_out_empty_ones(client, mall, ordos_visitor):
    empty = CategoryFactory(name="童装", position=4)
    CategoryFactory(name="空子类", parent=mall.women)
    html = client.get(reverse("storefront:categories")).content.decode()
    assert "<title>在售分类 · 绒城购</title>" in html
    for node in (mall.women, mall.knit, mall.coat, mall.men, mall.home):
        assert f'href="{category_url(node.id, node.name)}">{node.name}</a>' in html
    assert f">{empty.name}</a>" not in html and "空子类" not in html
    assert html.index(">女装</a>") < html.index(">男装</a>") < html.index(">家居</a>")


def test_on_sale_categories_by_brand(client, mall, ordos_visitor):
    html = client.get(reverse("storefront:categories") + "?by=brand").content.decode()
    erdos = section(html, f'href="{reverse("storefront:brand", args=[mall.erdos.id])}"')
    # 鄂尔多斯 has filler i % 3 == 0: i = 0, 12 (羊绒衫), 9 (羊绒大衣), 6, 18 (男装), 3, 15 (家居)
    for node in (mall.knit, mall.coat, mall.men, mall.home):
        assert f'{category_url(node.id, node.name)}?brand={mall.erdos.id}"' in erdos


@pytest.mark.parametrize("query", ["", "?by=brand"])
def test_on_sale_categories_query_count(
    client, sized_mall, ordos_visitor, query, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("storefront:categories") + query).status_code == 200


def test_side_blocks_are_shared_by_every_visitor(
    client, mall, ordos_visitor, django_assert_max_num_queries
):
    client.get(_url(mall.women))
    # Another address of the category: rendered, with the side blocks from the cache.
    with django_assert_max_num_queries(2):  # the count and the page
        response = client.get(_url(mall.women, q="常规", sort="price"))
    assert response[HEADER] == "miss"
    assert "热销排行" in response.content.decode()


def _aside(response) -> str:
    html = response.content.decode()
    return html[html.index('<aside class="browse-side">') : html.index("</aside>")]


def test_side_blocks_are_kept_rendered_in_each_language(client, mall, ordos_visitor):
    first, other = _url(mall.women), _url(mall.women, sort="price")
    chinese = _aside(client.get(first))
    english = _aside(client.get("/en" + first))
    again = _aside(client.get(other))

    assert ">热销排行</h2>" in chinese and ">Best sellers</h2>" not in chinese
    assert ">Best sellers</h2>" in english and "热销排行" not in english
    assert again == chinese
