"""The language of a request, and the address of the same page in the other languages.

Shopper pages (config/urls.py, i18n_patterns) are Chinese at /… and English at /en/…: the
address alone decides, so search engines index each language and caches key by URL. Other
paths (back office, API) keep the visitor's choice from the language cookie or the browser.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver
from django.utils import translation


def _localised_resolvers(urlconf) -> list[URLResolver]:
    return [
        pattern
        for pattern in get_resolver(urlconf).url_patterns
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern)
    ]


def is_localised(path: str, urlconf=None) -> bool:
    """Whether the path is a page of i18n_patterns in the default (unprefixed) language."""
    with translation.override(settings.LANGUAGE_CODE):
        for resolver in _localised_resolvers(urlconf or settings.ROOT_URLCONF):
            try:
                resolver.resolve(path.removeprefix("/"))
            except Resolver404:
                continue
            return True
    return False


def _without_language(path: str) -> str:
    language = translation.get_language_from_path(path)
    return (path.removeprefix(f"/{language}") or "/") if language else path


def request_localised(request) -> bool:
    """is_localised() of the request's path without its language prefix, looked up once per
    request: the middleware asks for the language, the page for its links to the others."""
    if not hasattr(request, "_localised"):
        request._localised = is_localised(_without_language(request.path_info))
    return request._localised


def language_urls(path: str, localised: bool | None = None) -> list[tuple[str, str]]:
    """(language, address) of this page in every language; [] when it has only one.
    `localised`: whether the page is one of i18n_patterns, when the caller knows.

    The shop's paths are the same words in every language (i18n_patterns translate none), so
    a page in another language is its path under that language's prefix: one lookup of the
    path instead of translate_url's lookup and reverse() per language."""
    bare = _without_language(path)
    if not (is_localised(bare) if localised is None else localised):
        return []
    return [
        (code, bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}")
        for code, _name in settings.LANGUAGES
    ]


class UrlLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        language = translation.get_language_from_path(request.path_info)
        request.language_from_url = bool(language) or (
            is_language_prefix_patterns_used(urlconf)[0] and request_localised(request)
        )
        if not language:
            language = (
                settings.LANGUAGE_CODE
                if request.language_from_url
                else translation.get_language_from_request(request)
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if getattr(request, "language_from_url", False):
            # The address names the language, so the page does not vary by Accept-Language.
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
