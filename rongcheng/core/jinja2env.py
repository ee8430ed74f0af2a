"""The Jinja2 environment for shopper- and store-facing pages."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext, pgettext
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from rongcheng.core import image_variants
from rongcheng.core.card_parts import favorite_button, price_box, product_cards
from rongcheng.core.dates import local_time
from rongcheng.core.translation import ENGLISH, english_active, kept_gettext, localized, pick


@dataclass(frozen=True)
class PageLocale:
    """The active language, URL configuration and script prefix, read once a page: a page
    translates and links about a hundred times, and Django reads each of the three through
    a context-local, 2–3 µs a read."""

    language: str | None
    urlconf: str
    prefix: str

    @classmethod
    def now(cls) -> "PageLocale":
        return cls(
            translation.get_language(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
        )


def page_locale(request) -> dict:
    """Context processor: the locale the page is rendered in."""
    return {"page_locale": PageLocale.now()}


def _locale(context: Context) -> PageLocale:
    # Templates rendered without a request (mail, shared blocks) get no context processors.
    return context.get("page_locale") or PageLocale.now()


@pass_context
def url(context: Context, name: str, *args, **kwargs) -> str:
    """reverse() for templates. A page's header, footer and lists ask for the same few
    addresses on every request; each is resolved once per language, URL configuration and
    script prefix, as resolving one costs about a tenth of a millisecond. Addresses that
    take ids (a product's, an order's) are resolved once as a pattern for any ids."""
    return address(name, *args, locale=_locale(context), **kwargs)


def address(name: str, *args, locale: PageLocale | None = None, **kwargs) -> str:
    """reverse(), each address resolved once per locale (`url` above)."""
    here = locale or PageLocale.now()
    if args and not kwargs and all(type(arg) is int for arg in args):
        try:
            return id_pattern(name, len(args), locale=here).format(*args)
        except NoReverseMatch:
            pass  # a route that writes ids otherwise
    key = (name, args, tuple(sorted(kwargs.items())), here.language, here.urlconf, here.prefix)
    return _reversed(*key)


@lru_cache(maxsize=4096)
def _reversed(name: str, args: tuple, kwargs: tuple, language, urlconf, prefix) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)


# Ids no address holds otherwise, which every int route writes as plain digits.
_SENTINEL = 987654321


def id_pattern(name: str, count: int = 1, *, locale: PageLocale | None = None) -> str:
    """The address of `name` with `{0}`, `{1}` … in place of its `count` ids (a list links
    dozens of products). NoReverseMatch when the route does not write ints as their digits."""
    here = locale or PageLocale.now()
    return _with_ids(name, count, here.language, here.urlconf, here.prefix)


@lru_cache(maxsize=1024)
def _with_ids(name: str, count: int, language, urlconf, prefix) -> str:
    sentinels = [str(_SENTINEL + n) for n in range(count)]
    pattern = reverse(name, args=sentinels, urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for n, sentinel in enumerate(sentinels):
        if pattern.count(sentinel) != 1:
            raise NoReverseMatch(f"{name} does not write its ids as digits")
        pattern = pattern.replace(sentinel, f"{{{n}}}")
    small = range(1, count + 1)  # a route may write a small id otherwise (padded, say)
    if pattern.format(*small) != reverse(name, args=list(small), urlconf=urlconf):
        raise NoReverseMatch(f"{name} does not write its ids as digits")
    return pattern


@pass_context
def tr(context: Context, obj: Any, field: str = "name") -> str:
    """The filter `tr`: `localized` in the language the page is rendered in."""
    return localized(obj, field, on_english_page=_locale(context).language == ENGLISH)


@pass_context
def template_gettext(context: Context, message: str, **variables) -> Markup:
    """`_()` and `gettext()` in templates, as the i18n extension's newstyle gettext writes
    them on an autoescaped page: the translation is markup, its %(name)s filled with escaped
    values. A page calls it about a hundred times: each message is looked up once per
    language (`kept_gettext`), in the language the page is rendered in, and a message
    without a % is not formatted."""
    translated = Markup(kept_gettext(message, _locale(context).language))  # noqa: S704 - ours
    return translated % variables if "%" in translated else translated


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """static(): a page links about ten styles, scripts and icons, each looked up in the
    storage's manifest and joined to STATIC_URL (8 µs), to the same address for the life of
    the process."""
    return static(path)


@receiver(setting_changed)
def _forget_static(*, setting: str, **kwargs) -> None:
    """Django's static files storage follows these settings when they change (tests)."""
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES"):
        static_url.cache_clear()


def template_ngettext(singular: str, plural: str, n: int, **variables) -> Markup:
    """`ngettext()` in templates, as newstyle gettext writes it (`num` is `n` unless given)."""
    variables.setdefault("num", n)
    return Markup(ngettext(singular, plural, n)) % variables  # noqa: S704 - as above


def localtime(value, fmt: str = "Y-m-d H:i") -> str:
    return formats.date_format(local_time(value), fmt) if value else ""


def environment(**options) -> Environment:
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)  # noqa: S701 - the Django backend turns autoescape on
    # Newstyle, so that {% trans %} blocks compile to calls that format and escape; then the
    # lighter callables above (pages are always autoescaped: the Django backend).
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "_": template_gettext,
            "gettext": template_gettext,
            "ngettext": template_ngettext,
            "static": static_url,
            "get_messages": get_messages,
            "pgettext": pgettext,
            "get_language": translation.get_language,
            "pick": pick,
            "price_box": price_box,
            "favorite_button": favorite_button,
            "srcset": image_variants.srcset,
            "picture": image_variants.picture,
            "product_cards": product_cards,
            "english_active": english_active,
            "LANGUAGES": settings.LANGUAGES,
            "LICENCE": settings.BUSINESS_LICENCE,
        }
    )
    env.filters["localtime"] = localtime
    env.filters["tr"] = tr
    return env
