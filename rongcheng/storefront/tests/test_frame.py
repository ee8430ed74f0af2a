"""The header and footer: an anonymous visitor's header is kept per language, city and menu
section, and must be exactly the header drawn for the page itself."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from rongcheng.catalog.models import Category
from rongcheng.regions.models import Region
from rongcheng.storefront import frame
from rongcheng.storefront.browse import shared_markup

pytestmark = pytest.mark.django_db
LINKS = [("zh-hans", "中文", "/search/?q=1&b=2"), ("en", "English", '/en/search/?q=1&b="2"')]


@pytest.fixture
def menu():
    Category.objects.create(name="女装", name_en="Women", is_recommended=True)
    Category.objects.create(name="围巾", is_recommended=True)
    frame._kept.cache_clear()


def _guest(path: str, city: Region | None):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.city = city
    request.resolver_match = resolve(request.path_info)
    return request


def _drawn(request, links) -> str:
    """The header drawn for this page alone, nothing kept."""
    return str(shared_markup("_header.html", {"header": frame.header_of(request, links)}))


@pytest.mark.parametrize(
    "path",
    [
        "/terms/",
        "/",
        "/stores/?page=2",
        '/search/?q=<b>"羊绒"</b>&sort=price',
        "/categories/?x=%E7%BE%8A&y='1'",
    ],
)
def test_a_kept_guest_header_is_the_header_drawn_for_the_page(regions, menu, path):
    city = Region.objects.get(code="150600")
    request = _guest(path, city)

    kept = frame.site_header(request, LINKS)

    assert str(kept) == _drawn(request, LINKS)
    assert frame._MARK not in str(kept)


def test_the_words_searched_and_the_return_address_are_escaped(regions, menu):
    request = _guest('/search/?q="><script>x</script>', None)

    html = str(frame.site_header(request, LINKS))

    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    # the address as the request holds it (its query percent-encoded), quoted once more
    assert '?next=/search/%3Fq%3D%2522%253E%253Cscript%253Ex%253C/script%253E"' in html
    assert 'href="/en/search/?q=1&amp;b=&#34;2&#34;"' in html
    assert "<script>x" not in html
    assert "选择城市" in html  # no city known


def test_pages_of_a_section_share_one_kept_header_and_each_city_has_its_own(regions, menu):
    ordos, beijing = Region.objects.get(code="150600"), Region.objects.get(code="110100")

    first = str(frame.site_header(_guest("/stores/", ordos), LINKS))
    frame.site_header(_guest("/stores/?page=3", ordos), LINKS)
    assert frame._kept.cache_info().hits == 1
    other_city = str(frame.site_header(_guest("/stores/", beijing), LINKS))
    assert frame._kept.cache_info().misses == 2

    assert "鄂尔多斯市" in first and "北京市" not in first
    assert "北京市" in other_city and "鄂尔多斯市" not in other_city
    assert '<a href="/stores/" class="active">' in first
    with translation.override("en"):
        english = str(frame.site_header(_guest("/en/stores/", ordos), LINKS))
        assert english == _drawn(_guest("/en/stores/", ordos), LINKS)
    women = Category.objects.get(name="女装")
    assert f'<a href="/en/category/{women.pk}-nv-zhuang/">Women</a>' in english


def test_a_category_page_marks_its_menu_link(regions, menu):
    women = Category.objects.get(name="女装")
    request = _guest(f"/category/{women.pk}-nv-zhuang/", None)

    html = str(frame.site_header(request, LINKS))

    assert f'<a href="/category/{women.pk}-nv-zhuang/" class="active">女装</a>' in html
    assert html.count('class="active"') == 1


def test_a_member_sees_their_own_header_and_a_guest_a_shared_one(client, member):
    guest = client.get("/terms/").content.decode()
    assert "登录" in guest and "csrfmiddlewaretoken" not in guest.split("</header>")[0]

    client.force_login(member)
    html = client.get("/terms/").content.decode().split("</header>")[0]

    assert f"您好，{member.display_name}" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "免费注册" not in html


def test_the_footer_is_kept_per_language(client, settings):
    chinese = client.get("/terms/").content.decode().split('<footer class="site-footer">')[1]
    english = client.get("/en/terms/").content.decode().split('<footer class="site-footer">')[1]

    assert settings.BUSINESS_LICENCE["company"] in chinese
    assert settings.BUSINESS_LICENCE["company_en"] in english
    assert 'href="/en/terms/"' in english and 'href="/terms/"' in chinese
