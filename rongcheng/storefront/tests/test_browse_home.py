"""The home page (HOME-1…4) and the header menu (MALL-1)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from rongcheng.cms.models import Ad, HomeArea, HomeVideo
from rongcheng.cms.services import ad_save
from rongcheng.core.testing.media import picture
from rongcheng.seo.page_cache import HEADER
from rongcheng.storefront.browse import category_url
from rongcheng.storefront.tests.browse_data import (
    build_home,
    names_in,
    section,
    upload_image,
)

pytestmark = pytest.mark.django_db
HOME_QUERIES = 13


def test_home_areas_come_in_the_back_office_order_with_their_content(client, mall, ordos_visitor):
    areas = build_home(mall)
    html = client.get("/").content.decode()

    titles = ["热销商品", "推荐门店", "热门品牌", "特卖专区", "女装专区", "男装专区", "视频"]
    positions = [html.index(f">{title}</h2>") for title in titles]
    assert positions == sorted(positions)

    banner = section(html, 'class="home-area home-banner"')
    assert 'alt="冬季羊绒节"' in banner and "已结束的广告" not in html
    assert f'href="{category_url(mall.women.id, "女装")}"' in banner

    # Filler product i sells i % 97 units: the ten best sellers of twenty are 19 … 10.
    hot = section(html, f'id="area-{areas["热销商品"].id}"')
    assert names_in(hot) == [f"常规款{i}" for i in range(19, 9, -1)]

    stores = section(html, f'id="area-{areas["推荐门店"].id}"')
    assert "伊金霍洛店" not in stores  # not a recommended store
    assert [name for name in ("康巴什旗舰店", "东胜体验店", "北京国贸店") if name in stores] == [
        "康巴什旗舰店",
        "东胜体验店",
        "北京国贸店",
    ]
    assert stores.index("康巴什旗舰店") < stores.index("东胜体验店") < stores.index("北京国贸店")
    assert "距鄂尔多斯市中心 0.0 公里" in stores

    brands = section(html, f'id="area-{areas["热门品牌"].id}"')
    assert f'href="{reverse("storefront:brand", args=[mall.erdos.id])}"' in brands
    assert brands.index("鄂尔多斯") < brands.index("绒城") and "1436" not in brands

    sale = section(html, f'id="area-{areas["特卖专区"].id}"')
    assert f'<a class="more" href="{reverse("storefront:sale")}">更多 ›</a>' in sale
    assert names_in(sale) == ["常规款15", "常规款10", "常规款5", "常规款0"]
    assert 'class="price price-special"><small>¥</small>1515.00</span>' in sale
    assert '<del class="price-regular" title="全国统一价">¥2015.00</del>' in sale

    women = section(html, f'id="area-{areas["女装专区"].id}"')
    # The feature template: large left + grid, in the template's columns.
    assert f'class="parea-feature cols-{areas["女装专区"].template.columns}"' in women
    men = section(html, f'id="area-{areas["男装专区"].id}"')
    assert 'class="pgrid cols-5"' in men and "parea-feature" not in men
    assert set(names_in(men)) == {f"常规款{i}" for i in (2, 6, 10, 14, 18)}

    video = section(html, f'id="area-{areas["视频"].id}"')
    assert 'src="/media/cms/videos/story.mp4" poster="/media/cms/videos/story.jpg"' in video
    assert "data-mini-player" in video and "storefront/js/browse.js" in html

    assert "会员日全场九折" in section(html, f'id="area-{areas["促销公告"].id}"')
    assert "优惠券" not in html  # no coupons yet: the area renders nothing at all


def test_home_without_videos_has_no_player(client, mall, ordos_visitor):
    build_home(mall)
    HomeVideo.objects.all().delete()
    html = client.get("/").content.decode()
    assert "data-mini-player" not in html and ">视频</h2>" not in html


def test_home_without_areas_welcomes_and_points_to_stores(client, regions, ordos_visitor):
    html = client.get("/").content.decode()
    assert "鄂尔多斯好羊绒，就在你身边" in html
    assert f'href="{reverse("storefront:stores")}"' in html


def test_home_query_count_does_not_grow_with_the_catalogue(
    client, sized_mall, ordos_visitor, django_assert_max_num_queries
):
    build_home(sized_mall)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    # hot sellers, special sale, 女装 (a lead picture + 7 cards), 男装
    expected = 10 + 4 + 7 + 5 if len(sized_mall.products) == 20 else 10 + 10 + 7 + 10
    assert len(names_in(response.content.decode())) == expected


def test_menu_links_the_browsing_pages_and_recommended_categories(client, mall):
    html = client.get(reverse("storefront:terms")).content.decode()
    menu = html[html.index('class="mainnav"') : html.index("</nav>", html.index('class="mainnav"'))]
    for name, label in [
        ("storefront:home", "首页"),
        ("storefront:stores", "身边店"),
        ("storefront:brands", "品牌馆"),
        ("storefront:sale", "特卖场"),
        ("storefront:categories", "在售分类"),
    ]:
        assert f'href="{reverse(name)}"' in menu and label in menu
    assert f'href="{category_url(mall.women.id, "女装")}">女装</a>' in menu
    assert f'href="{category_url(mall.men.id, "男装")}">男装</a>' in menu
    assert "家居" not in menu  # not a recommended category


def test_category_area_points_its_more_link_at_the_category(client, mall, ordos_visitor):
    areas = build_home(mall)
    HomeArea.objects.exclude(id=areas["女装专区"].id).delete()
    html = client.get("/").content.decode()
    assert f'<a class="more" href="{category_url(mall.women.id, "女装")}">更多 ›</a>' in html


def test_home_areas_are_shared_by_every_visitor(
    client, mall, ordos_visitor, django_assert_max_num_queries
):
    build_home(mall)
    first = client.get("/").content.decode()
    # A visitor of another city gets a page of their own (not the cached copy of the first),
    # rendered with the shared areas.
    client.cookies["rc_city"] = "110100"
    with django_assert_max_num_queries(2):  # the visitor's city and the stores nearest to it
        response = client.get("/")
    assert response[HEADER] == "miss"
    second = response.content.decode()
    assert names_in(second) == names_in(first) and len(names_in(first)) == 26
    assert "北京国贸店" in second


def test_home_areas_are_kept_rendered_in_each_language(client, mall, ordos_visitor):
    areas = build_home(mall)
    marker = f'id="area-{areas["特卖专区"].id}"'
    chinese = section(client.get("/").content.decode(), marker)
    english = section(client.get("/en/").content.decode(), marker)
    again = section(client.get("/?utm_source=x").content.decode(), marker)

    assert f'<a class="more" href="{reverse("storefront:sale")}">更多 ›</a>' in chinese
    with translation.override("en"):
        assert f'<a class="more" href="{reverse("storefront:sale")}">More ›</a>' in english
    assert "更多" not in english
    assert again == chinese and names_in(english) == names_in(chinese)


def test_english_pages_show_the_english_banner_picture(
    client, mall, ordos_visitor, django_capture_on_commit_callbacks
):
    build_home(mall)
    ad = Ad.objects.get(title="冬季羊绒节")
    chinese_picture = ad.image.url
    assert section(client.get("/").content.decode(), "home-banner").count(chinese_picture) == 1
    ad.image_en = upload_image("winter-en.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        ad_save(ad=ad)  # the service drops the cached home page
    english = section(client.get("/en/").content.decode(), "home-banner")
    assert ad.image_en.url in english and chinese_picture not in english
    assert chinese_picture in section(client.get("/").content.decode(), "home-banner")


def test_the_first_banner_comes_first_at_the_slot_s_size(
    client, mall, ordos_visitor, django_capture_on_commit_callbacks
):
    build_home(mall)
    ad = Ad.objects.get(title="冬季羊绒节")
    ad.image = SimpleUploadedFile("winter.jpg", picture("JPEG", (1200, 400)))
    with django_capture_on_commit_callbacks(execute=True):
        ad_save(ad=ad)  # writes the picture's variants, and drops the cached home page
    html = client.get("/").content.decode()
    stem = ad.image.url.rpartition(".")[0]
    assert (
        f'<picture><source type="image/webp" srcset="{stem}.480w.webp 480w, {stem}.640w.webp '
        f'640w, {stem}.960w.webp 960w, {stem}.1200w.webp 1200w" sizes="(min-width: 1200px) '
        f'1176px, 100vw"><img src="{ad.image.url}" alt="冬季羊绒节" width="1200" height="400" '
        'fetchpriority="high"></picture>'
    ) in section(html, "home-banner")
    head = html.split("</head>")[0]
    assert re.findall(
        r'<link rel="stylesheet" href="/static/storefront/css/([a-z]+)\.css">', head
    ) == [
        "site",
        "browse",
    ]
