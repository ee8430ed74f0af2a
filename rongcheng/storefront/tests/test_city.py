"""The city picker and switching the visitor's city (MALL-2)."""

import re

import pytest
from django.urls import reverse

from rongcheng.regions.dataset import read_csv
from rongcheng.regions.services import SESSION_KEY, regions_load

PICKER = reverse("storefront:city")
SWITCH = reverse("storefront:city_switch")
HOT = '<section class="city-hot"'


@pytest.fixture
def all_regions(db):
    regions_load(rows=read_csv())


def _buttons(html: str, section: str = "") -> list[str]:
    if section:
        html = html.split(section, 1)[1].split("</section>", 1)[0]
    return re.findall(r'<button class="city-btn[^"]*" name="code" value="(\d{6})"', html)


def test_picker_lists_hot_cities_then_every_city_by_letter(
    client, all_regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(PICKER)
    html = response.content.decode()
    assert _buttons(html, HOT) == [
        "110100", "310100", "440100", "440300", "330100", "510100",
        "150600", "150100", "150200", "610100", "420100", "320100",
    ]  # fmt: skip
    letters = re.findall(r'<section class="city-group" id="city-([A-Z])"', html)
    assert letters == sorted(letters) and {"A", "B", "E", "Z"} <= set(letters)
    assert "I" not in letters and "U" not in letters and "V" not in letters
    assert len(_buttons(html)) == 12 + 365
    erdos = html.split('id="city-E"', 1)[1].split("</section>", 1)[0]
    assert 'value="150600"' in erdos and 'data-pinyin="eerduosi" data-initials="eeds"' in erdos
    assert "当前城市：<strong>北京市</strong>" in html


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("eeds", ["150600"]),
        ("eerduosi", ["150600"]),
        ("鄂尔多斯", ["150600"]),
        ("beijing", ["110100"]),
        ("Bei Jing", ["110100"]),
        ("xm", ["350200"]),
        ("cs", ["430100"]),
        ("长", ["220100", "430100", "140400"]),
    ],
)
def test_search_by_name_pinyin_or_initials(client, all_regions, query, codes):
    html = client.get(PICKER, {"q": query}).content.decode()
    assert _buttons(html) == codes
    assert HOT not in html
    assert f"找到 {len(codes)} 个城市" in html


def test_search_without_results_says_so(client, all_regions):
    html = client.get(PICKER, {"q": "zzzz"}).content.decode()
    assert _buttons(html) == []
    assert '<p class="muted city-empty">' in html


def test_switching_keeps_the_city_in_session_and_cookie(client, all_regions, settings):
    response = client.post(SWITCH, {"code": "150600", "next": "/terms/"})
    assert response.status_code == 302 and response["Location"] == "/terms/"
    assert client.session[SESSION_KEY] == "150600"
    cookie = response.cookies["rc_city"]
    assert cookie.value == "150600"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    html = client.get(reverse("storefront:home")).content.decode()
    assert "鄂尔多斯市" in html.split('class="city-switch"', 1)[1].split("</a>", 1)[0]


def test_the_cookie_alone_brings_the_city_back_in_a_new_session(client, all_regions):
    client.cookies["rc_city"] = "440300"
    html = client.get(PICKER).content.decode()
    assert "当前城市：<strong>深圳市</strong>" in html
    assert 'class="city-btn current" name="code" value="440300"' in html


@pytest.mark.parametrize("code", ["150000", "150602", "999999", ""])
def test_an_unknown_city_is_refused_and_nothing_changes(client, all_regions, code):
    client.post(SWITCH, {"code": "150600"})
    response = client.post(SWITCH, {"code": code, "next": "/terms/"})
    assert response.status_code == 404
    assert "没有这个城市" in response.content.decode()
    assert "rc_city" not in response.cookies
    assert client.session[SESSION_KEY] == "150600"
    assert client.cookies["rc_city"].value == "150600"


def test_switch_does_not_redirect_off_site(client, all_regions):
    response = client.post(SWITCH, {"code": "150600", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_picker_works_with_the_small_fixture_too(client, regions):
    html = client.get(PICKER, {"q": "eeds"}).content.decode()
    assert _buttons(html) == ["150600"]
