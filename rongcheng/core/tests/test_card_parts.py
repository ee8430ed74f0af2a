"""A card's price and heart, made in Python: the markup the card macros wrote, escaped and
translated the same way."""

from decimal import Decimal

from django.utils import translation

from rongcheng.catalog.calculations import Price
from rongcheng.core.card_parts import HEART, favorite_button, price_box
from rongcheng.core.jinja2env import environment


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
