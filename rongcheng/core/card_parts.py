"""A product card — its picture, name, brand, price and favourite heart — as HTML made in
Python for the Jinja2 templates.

A list page shows 40–60 cards and the home page about 50; as macros (the card, its picture,
its price, its heart) the cards were most of a home page's rendering, as a Jinja2 macro call
costs more than the markup it writes. The markup is the same the macros wrote, and is made
in one place for every page that shows it.
"""

from decimal import Decimal
from typing import Protocol

from markupsafe import Markup, escape

from rongcheng.core.image_variants import picture
from rongcheng.core.money import to_yuan
from rongcheng.core.translation import kept_gettext, localized

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
    regular = (
        f' <del class="price-regular" title="{escape(kept_gettext("全国统一价"))}">'
        f"¥{to_yuan(price.regular)}</del>"
        if price.is_special
        else ""
    )
    return Markup(  # noqa: S704 - amounts are Decimals, the label is escaped
        f'<span class="price-box{" price-big" if big else ""}">\n'
        f'  <span class="price{" price-special" if price.is_special else ""}">'
        f"<small>¥</small>{to_yuan(price.amount)}</span>{regular}</span>"
    )


def favorite_button(product_id: int, name: str) -> Markup:
    """The heart on a product card. Cards sit on cached pages, so every visitor gets the same
    button; card-favorites.js marks the member's favourites and toggles them."""
    return Markup(_heart(product_id, escape(name)))  # noqa: S704 - see _heart


def _heart(product_id: int, escaped_name: str) -> str:
    # The translation is ours, the name escaped.
    label = kept_gettext("收藏：%(name)s") % {"name": escaped_name}
    return (
        f'<button type="button" class="card-fav" data-card-favorite="{int(product_id)}" '
        f'aria-pressed="false" aria-label="{label}">{HEART}</button>'
    )


def product_card(
    card: ShownCard, href: str, sizes: str, rank: int | None = None, lazy: bool = True
) -> Markup:
    """One card of a product list, linking `href`; `sizes`: the width its picture takes in
    the list's layout; `rank`: its place in a ranked list; `lazy`: below the first row."""
    name = localized(card)
    escaped_name = escape(name)
    image = (
        picture(
            card.thumbnail_url,
            card.thumbnail_widths,
            sizes,
            name,
            width=240,
            height=240,
            eager=not lazy,
        )
        + "\n    "
        if card.thumbnail_url
        else '<span class="noimg" aria-hidden="true">绒</span>'
    )
    badge = (
        f'<span class="badge-special">{escape(kept_gettext("特价"))}</span>'
        if card.price.is_special
        else ""
    )
    place = f'<span class="rank rank-{int(rank)}">{int(rank)}</span>' if rank else ""
    sold = kept_gettext("已售 %(n)s") % {"n": int(card.sales_count)}
    return Markup(  # noqa: S704 - every value is escaped or made here
        f'<div class="pcard-cell">\n<a class="pcard" href="{escape(href)}">\n'
        f'  <span class="pcard-img">\n    {image}\n    {badge}\n    {place}\n  </span>\n'
        f'  <span class="pcard-body">\n    <span class="pcard-name">{escaped_name}</span>\n'
        f'    <span class="pcard-brand">{escape(localized(card, "brand_name"))}</span>\n'
        f'    <span class="pcard-meta">{price_box(card.price)}<span class="sales">{sold}</span>'
        f"</span>\n  </span>\n</a>\n{_heart(card.id, escaped_name)}\n</div>"
    )
