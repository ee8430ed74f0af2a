"""The header and footer around every storefront page.

They cost a first visit more than most pages' own content, and for an anonymous visitor
they are the same on every page of a language, city and menu section but for three
addresses: where choosing a city returns to, the page in each language, and the words in
the search box. Such a header is drawn once per process for what it shows, with markers
where those go, and each page fills them in; the footer is drawn once per language. What
they are drawn from is their whole key, so a kept copy never shows another visitor's, city's
or menu's. A member's header (their name, messages, the logout form and its token) is drawn
on each page. (A process keeps what it drew until it restarts: an edit of _header.html or
_footer.html shows after a restart, as an edit of Python code does.)
"""

import secrets
from dataclasses import dataclass, replace
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language
from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from rongcheng.cart.selectors import bag_count
from rongcheng.core.translation import localized
from rongcheng.sellercenter.staff import memberships
from rongcheng.storefront.browse import MENU_CATEGORIES, request_tree, shared_markup

# The menu link marked as the current section on these pages.
SECTIONS = {
    "home": "home",
    "stores": "stores",
    "store": "stores",
    "brands": "brands",
    "brand": "brands",
    "sale": "sale",
    "categories": "categories",
}
# Letters and digits only, so that escaping and URL-quoting leave a marker as it is; random,
# so that no name or address a page shows can hold one.
_MARK = f"frame{secrets.token_hex(8)}"


@dataclass(frozen=True)
class Header:
    """Everything the header shows (storefront/jinja2/_header.html reads nothing else)."""

    language: str
    city_label: str
    city_next: str
    member_name: str | None
    store_staff: bool
    language_links: tuple[tuple[str, str, str], ...]
    bag_units: int | None
    section: str
    category_id: int | None
    menu: tuple[tuple[int, str, str], ...]
    search_words: str


def header_of(request, language_links) -> Header:
    match = request.resolver_match
    url_name = match.url_name if match else ""
    user = request.user
    member = user.is_authenticated
    return Header(
        language=get_language(),
        city_label=localized(request.city) if request.city else "",
        city_next=request.get_full_path(),
        member_name=user.display_name if member else None,
        store_staff=member and bool(memberships(request)),
        language_links=tuple(language_links),
        # Members only: the page cache keeps anonymous pages, which never show a count.
        bag_units=bag_count(user=user) if member else None,
        section=SECTIONS.get(url_name, ""),
        category_id=match.kwargs.get("category_id") if url_name == "category" else None,
        menu=tuple(
            (node.id, node.name, node.label)
            for node in request_tree(request).recommended()[:MENU_CATEGORIES]
        ),
        search_words=request.GET.get("q", "") if url_name == "search" else "",
    )


def site_header(request, language_links) -> Markup:
    """The header of this page; `language_links`: (language, its name, this page in it)."""
    header = header_of(request, language_links)
    if header.member_name is not None:
        return Markup(render_to_string("_header.html", {"header": header}, request=request))  # noqa: S704 - ours
    marked = replace(
        header,
        city_next=_MARK + "next",
        language_links=tuple(
            (code, name, f"{_MARK}lang{number}")
            for number, (code, name, _href) in enumerate(header.language_links)
        ),
        search_words=_MARK + "words",
    )
    kept = _kept("_header.html", marked, header.language, get_urlconf(), get_script_prefix())
    filled = kept.replace(_MARK + "next", do_urlencode(header.city_next)).replace(
        _MARK + "words", escape(header.search_words)
    )
    for number, (_code, _name, href) in enumerate(header.language_links):
        filled = filled.replace(f"{_MARK}lang{number}", escape(href))
    return Markup(filled)  # noqa: S704 - ours, each value escaped as the template would


def site_footer() -> Markup:
    footer = _kept("_footer.html", None, get_language(), get_urlconf(), get_script_prefix())
    return Markup(footer)  # noqa: S704 - ours


@lru_cache(maxsize=512)
def _kept(template_name: str, header: Header | None, language, urlconf, prefix: str) -> str:
    """A part drawn once for what it shows (the header's values, the language), the URL
    configuration and the script prefix its links are resolved under."""
    return str(shared_markup(template_name, {"header": header}))


def context(request) -> dict:
    """Jinja2 context processor: the header and footer for base.html."""
    return {
        "site_header": lambda language_links: site_header(request, language_links),
        "site_footer": site_footer,
    }


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    """What settings the parts show (the licence, the languages) change only in tests."""
    _kept.cache_clear()
