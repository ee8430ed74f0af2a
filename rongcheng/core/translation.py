"""English values of what operations write: catalogue and content fields (INTL-1).

A translated field `name` has a column `name_en` beside it on the same row, blank until
someone writes it; Chinese, the source language, is the fallback. Reading costs no query
(the value comes with the row) and no join; lists that select columns name both. Objects
carry both values and the page picks one when it renders (`localized`, the Jinja2 filter
`tr`), so blocks and trees cached for every visitor serve both languages.
"""

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ENGLISH = "en"
SUFFIX = "_en"


def english_active() -> bool:
    return get_language() == ENGLISH


def kept_gettext(message: str, language: str | None = None) -> str:
    """gettext(), each message looked up once per language: Django's reads the active
    translation through a context-local on every call, and a page makes 50–90 calls (its
    templates' `_()`, its cards' words). `language`: the active one, when the caller has
    read it already (a page reads it once)."""
    return _kept(message, get_language() if language is None else language)


@lru_cache(maxsize=4096)
def _kept(message: str, language: str | None) -> str:
    return gettext(message)


@receiver(setting_changed)
def _forget_translations(*, setting: str, **kwargs) -> None:
    """Django drops its loaded catalogues when these change (tests); so do we."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _kept.cache_clear()


def english_name(field: str) -> str:
    return f"{field}{SUFFIX}"


def pick(chinese: str, english: str, *, on_english_page: bool | None = None) -> str:
    """The English value on English pages when there is one, else the Chinese;
    `on_english_page`: the page's language, when the caller has read it already."""
    if not english:
        return chinese
    on_english_page = english_active() if on_english_page is None else on_english_page
    return english if on_english_page else chinese


def localized(obj: Any, field: str = "name", *, on_english_page: bool | None = None) -> str:
    """The value of `field` in the active language, read from a model or any object with
    the `<field>_en` attribute beside it; `on_english_page` as for `pick`."""
    return pick(
        getattr(obj, field), getattr(obj, english_name(field), ""), on_english_page=on_english_page
    )


def _english_label(label: "StrOrPromise") -> "StrOrPromise":
    return format_lazy(_("{label}（英文）"), label=label)


def english_char(label: "StrOrPromise", max_length: int) -> models.CharField:
    """The English column of a short text field labelled `label`."""
    return models.CharField(_english_label(label), max_length=max_length, blank=True, default="")


def english_text(label: "StrOrPromise") -> models.TextField:
    """The English column of a long text field labelled `label`."""
    return models.TextField(_english_label(label), blank=True, default="")
