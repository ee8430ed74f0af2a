"""A product card, its picture, price and heart, made in Python: the markup the card macros
wrote, escaped and translated the same way."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from rongcheng.catalog.calculations import Price
from rongcheng.catalog.selectors.cards import ProductCard
from rongcheng.core import image_variants
from rongcheng.core.card_parts import HEART, favorite_button, price_box, product_cards
from rongcheng.core.jinja2env import environment

SIZES = "(min-width: 960px) 240px, 50vw"


def _card(**changes) -> ProductCard:
    fields = {
        "id": 42,
        "name": "羊绒<围巾>",
        "name_en": "",
        "subtitle": "",
        "subtitle_en": "",
        "brand_id": 3,
        "brand_name": "鄂尔多斯",
        "brand_name_en": "Ordos",
        "thumbnail_url": "",
        "thumbnail_widths": "",
        "price": Price(Decimal("899.5"), Decimal("1280"), True),
        "sales_count": 1205,
        "launch_date": date(2026, 11, 1),
    }
    return ProductCard(**{**fields, **changes})


def test_a_regular_price_shows_the_amount_alone():
    assert price_box(Price(Decimal("1280"), Decimal("1280"), False)) == (
        '<span class="price-box">\n  <span class="price"><small>¥</small>1280.00</span></span>'
    )


def test_a_special_price_strikes_the_national_price_through_beside_it():
    with translation.override("zh-hans"):
        html = price_box(Price(Decimal("899.5"), Decimal("1280"), True), big=True)
    assert html == (
        '<span class="price-box price-big">\n'
        '  <span class="price price-special"><small>¥</small>899.50</span>'
        ' <del class="price-regular" title="全国统一价">¥1280.00</del></span>'
    )
    with translation.override("en"):
        english = price_box(Price(Decimal("899.5"), Decimal("1280"), True))
    assert 'title="National price">¥1280.00</del>' in english


def test_the_heart_names_its_product_escaped():
    with translation.override("zh-hans"):
        html = favorite_button(42, '披肩 <"A&B">')
    assert html == (
        '<button type="button" class="card-fav" data-card-favorite="42" aria-pressed="false" '
        f'aria-label="收藏：披肩 &lt;&#34;A&amp;B&#34;&gt;">{HEART}</button>'
    )
    with translation.override("en"):
        assert 'aria-label="Save to favorites: Scarf"' in favorite_button(42, "Scarf")


def test_templates_insert_the_parts_unescaped_once():
    template = environment(autoescape=True).from_string(
        "{{ price_box(price) }}|{{ favorite_button(7, name) }}"
    )
    with translation.override("zh-hans"):
        html = template.render(price=Price(Decimal("5"), Decimal("5"), False), name="<b>")
    box, heart = html.split("|")
    assert box == str(price_box(Price(Decimal("5"), Decimal("5"), False)))
    assert 'aria-label="收藏：&lt;b&gt;"' in heart


def test_a_card_without_a_picture_shows_its_name_brand_price_sales_rank_and_heart():
    with translation.override("zh-hans"):
        html = product_cards([_card(id=7), _card()], "/product/{}/", SIZES, ranked=True)
    assert html.startswith('<div class="pcard-cell">\n<a class="pcard" href="/product/7/">')
    html = html[html.index('<div class="pcard-cell">', 1) :]  # the second card, ranked 2
    assert html == (
        '<div class="pcard-cell">\n<a class="pcard" href="/product/42/">\n'
        '  <span class="pcard-img">\n    <span class="noimg" aria-hidden="true">绒</span>\n'
        '    <span class="badge-special">特价</span>\n'
        '    <span class="rank rank-2">2</span>\n  </span>\n'
        '  <span class="pcard-body">\n    <span class="pcard-name">羊绒&lt;围巾&gt;</span>\n'
        '    <span class="pcard-brand">鄂尔多斯</span>\n'
        f'    <span class="pcard-meta">{price_box(_card().price)}'
        '<span class="sales">已售 1205</span></span>\n  </span>\n</a>\n'
        f"{favorite_button(42, '羊绒<围巾>')}\n</div>"
    )


def test_an_english_card_names_the_goods_in_english_where_written():
    card = _card(name_en="Cashmere scarf", price=Price(Decimal("5"), Decimal("5"), False))
    with translation.override("en"):
        html = product_cards([card], "/en/product/{}/", SIZES)
    assert '<span class="pcard-name">Cashmere scarf</span>' in html
    assert '<span class="pcard-brand">Ordos</span>' in html
    assert '<span class="sales">1205 sold</span>' in html
    assert "badge-special" not in html
    assert "rank" not in html


def test_a_card_sends_its_picture_at_the_list_slot_size_lazily_below_the_first_row():
    # The widths come from the card's row: the storage is never asked.
    card = _card(
        thumbnail_url="/media/catalog/products/RC1/thumbs/a.jpg",
        thumbnail_widths=image_variants.recorded("thumbnail"),
    )
    with translation.override("zh-hans"):
        first_row, below = product_cards([card, card], "/product/{}/", SIZES, eager=1).split(
            '<div class="pcard-cell">'
        )[1:]
    variants = ", ".join(
        f"/media/catalog/products/RC1/thumbs/a.{width}w.webp {width}w"
        for width in (120, 240, 360, 480)
    )
    shown = (
        f'<picture><source type="image/webp" srcset="{variants}" sizes="{SIZES}">'
        '<img src="/media/catalog/products/RC1/thumbs/a.jpg" alt="羊绒&lt;围巾&gt;" width="240" '
        'height="240"{}></picture>'
    )
    assert (
        '  <span class="pcard-img">\n    ' + shown.format(' loading="lazy"') + "\n    \n"
    ) in below
    assert shown.format("") in first_row


@pytest.mark.parametrize(
    ("options", "attributes"),
    [
        ({}, ' loading="lazy"'),
        ({"eager": True}, ""),
        ({"first": True}, ' fetchpriority="high"'),
        (
            {"width": 64, "height": 64, "marker": "data-gallery-main"},
            ' width="64" height="64" loading="lazy" data-gallery-main',
        ),
    ],
)
def test_a_picture_without_variants_is_sent_as_itself(options, attributes):
    html = image_variants.picture(
        "https://example.com/a.jpg?x=1&y=2", "", "60px", alt='"A"', **options
    )
    assert html == (
        '<picture><img src="https://example.com/a.jpg?x=1&amp;y=2" alt="&#34;A&#34;"'
        f"{attributes}></picture>"
    )


def test_templates_that_import_the_picture_get_the_same_markup():
    template = engines["jinja2"].from_string(
        '{% from "media/picture.html" import picture %}{{ picture(url, widths, "96px", alt=alt) }}'
    )
    url, widths = "/media/catalog/brands/a.png", image_variants.recorded("logo")
    assert template.render({"url": url, "widths": widths, "alt": "<b>"}) == image_variants.picture(
        url, widths, "96px", alt="<b>"
    )
