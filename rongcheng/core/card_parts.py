"""A product card — its picture, name, brand, price and favourite heart — as HTML made in
Python for the Jinja2 templates.

A list page shows 40–60 cards and the home page about 50; as macros (the card, its picture,
its price, its heart) the cards were most of a home page's rendering, as a Jinja2 macro call
costs more than the markup it writes. The markup is the same the macros wrote, and is made
in one place for every page that shows it. A list's cards are made in one call, which looks
up once what they all say alike (their words in the page's language, their address).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from markupsafe import Markup, escape

from rongcheng.core.image_variants import picture
from rongcheng.core.money import to_yuan
from rongcheng.core.translation import english_active, kept_gettext, pick

HEART = (
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 21s-7.5-4.6-9.5-9.2C1.2 8.6 3.3 5 '
    "6.8 5c2 0 3.6 1.1 5.2 3 1.6-1.9 3.2-3 5.2-3 3.5 0 5.6 3.6 4.3 6.8C19.5 16.4 12 21 12 21z"
    '"/></svg>'
)


class ShownPrice(Protocol):
    """catalog.calculations.Price, as the cards carry it."""

    @property
    def amount(self) -> Decimal: ...
    @property
    def regular(self) -> Decimal: ...
    @property
    def is_special(self) -> bool: ...


class ShownCard(Protocol):
    """catalog.selectors.cards.ProductCard, as a card shows it."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def brand_name(self) -> str: ...
    @property
    def brand_name_en(self) -> str: ...
    @property
    def thumbnail_url(self) -> str: ...
    @property
    def thumbnail_widths(self) -> str: ...
    @property
    def price(self) -> ShownPrice: ...
    @property
    def sales_count(self) -> int: ...


def price_box(price: ShownPrice, big: bool = False) -> Markup:
    """What a buyer pays now, with the national price struck through beside a special one."""
    return Markup(_price_box(price, big, escape(kept_gettext("全国统一价"))))  # noqa: S704 - see _price_box


def _price_box(price: ShownPrice, big: bool, national: str) -> str:
    # Amounts are Decimals; `national`, the struck price's label, is escaped by the caller.
    regular = (
        f' <del class="price-regular" title="{national}">¥{to_yuan(price.regular)}</del>'
        if price.is_special
        else ""
    )
    return (
        f'<span class="price-box{" price-big" if big else ""}">\n'
        f'  <span class="price{" price-special" if price.is_special else ""}">'
        f"<small>¥</small>{to_yuan(price.amount)}</span>{regular}</span>"
    )


def favorite_button(product_id: int, name: str) -> Markup:
    """The heart on a product card. Cards sit on cached pages, so every visitor gets the same
    button; card-favorites.js marks the member's favourites and toggles them."""
    label = kept_gettext("收藏：%(name)s")
    return Markup(_heart(product_id, escape(name), label))  # noqa: S704 - see _heart


def _heart(product_id: int, escaped_name: str, label: str) -> str:
    # `label`, the translation of 收藏：%(name)s, is ours; the name is escaped.
    return (
        f'<button type="button" class="card-fav" data-card-favorite="{int(product_id)}" '
        f'aria-pressed="false" aria-label="{label % {"name": escaped_name}}">{HEART}</button>'
    )


@dataclass(frozen=True)
class _ListWords:
    """What every card of a list says alike, in the page's language: looked up once a list,
    as each lookup reads the active language through a context-local."""

    english: bool  # an English page
    special: str
    sold: str
    favourite: str
    national: str

    @classmethod
    def now(cls) -> "_ListWords":
        return cls(
            english=english_active(),
            special=escape(kept_gettext("特价")),
            sold=kept_gettext("已售 %(n)s"),
            favourite=kept_gettext("收藏：%(name)s"),
            national=escape(kept_gettext("全国统一价")),
        )


def product_cards(
    cards: Iterable[ShownCard], href: str, sizes: str, *, eager: int = 0, ranked: bool = False
) -> Markup:
    """The cards of a product list, each linking `href` with its product's id in place of
    `{0}`; `sizes`: the width a picture takes in the list's layout; `eager`: how many first
    cards load their pictures at once (the first row); `ranked`: each shows its place."""
    words = _ListWords.now()
    escaped_href = str(escape(href))  # an id adds nothing to escape
    return Markup(  # noqa: S704 - every value is escaped or made in _card
        "".join(
            _card(
                card,
                words,
                escaped_href.format(int(card.id)),
                sizes,
                place if ranked else None,
                place > eager,
            )
            for place, card in enumerate(cards, start=1)
        )
    )


def _card(
    card: ShownCard, words: _ListWords, href: str, sizes: str, rank: int | None, lazy: bool
) -> str:
    name = pick(card.name, card.name_en, on_english_page=words.english)
    escaped_name = escape(name)
    image = '<span class="noimg" aria-hidden="true">绒</span>'
    if card.thumbnail_url:
        shown = picture(
            card.thumbnail_url,
            card.thumbnail_widths,
            sizes,
            name,
            width=240,
            height=240,
            eager=not lazy,
        )
        image = f"{shown}\n    "
    badge = f'<span class="badge-special">{words.special}</span>' if card.price.is_special else ""
    place = f'<span class="rank rank-{int(rank)}">{int(rank)}</span>' if rank else ""
    sold = words.sold % {"n": int(card.sales_count)}
    brand = pick(card.brand_name, card.brand_name_en, on_english_page=words.english)
    return (
        f'<div class="pcard-cell">\n<a class="pcard" href="{href}">\n'
        f'  <span class="pcard-img">\n    {image}\n    {badge}\n    {place}\n  </span>\n'
        f'  <span class="pcard-body">\n    <span class="pcard-name">{escaped_name}</span>\n'
        f'    <span class="pcard-brand">{escape(brand)}</span>\n'
        f'    <span class="pcard-meta">{_price_box(card.price, False, words.national)}'
        f'<span class="sales">{sold}</span></span>\n  </span>\n</a>\n'
        f"{_heart(card.id, escaped_name, words.favourite)}\n</div>"
    )
