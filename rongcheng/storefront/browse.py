"""What the browsing pages share: category links with a pinyin slug, the category tree read
once per request, query strings for sort/filter/page links, and blocks kept for every visitor."""

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, gettext
from markupsafe import Markup

from rongcheng.catalog.selectors.categories import category_product_counts, category_tree
from rongcheng.catalog.tree import CategoryNode, CategoryTree
from rongcheng.core.jinja2env import address, id_pattern
from rongcheng.core.money import to_yuan
from rongcheng.core.process_copies import ProcessCopies
from rongcheng.core.translation import localized
from rongcheng.helpcenter.selectors import help_topics
from rongcheng.seo import generations
from rongcheng.seo.locations import CATALOGUE, LISTINGS, SITE
from rongcheng.seo.slugs import slugify_zh

T = TypeVar("T")
MENU_CATEGORIES = 6
# Blocks that are the same for every visitor (home areas, rankings, a category's side
# blocks) are computed at most once a minute, not per request. A card there may show a
# special price up to this long (and the seconds a process keeps its copy) after its window
# closed; the product page always prices live.
SHARED_BLOCK_SECONDS = 60
# Each process keeps the blocks it read for a few seconds (core/process_copies.py): a block
# does not change under its key, which holds the generations of what it shows.
_BLOCKS = ProcessCopies(seconds=10, size=1024)  # a side block for each store and language
# Blocks that no clock changes (category counts, a store's categories) live until a purge
# bumps a generation of their key; this only bounds how long an unused one stays.
GENERATION_BLOCK_SECONDS = 24 * 3600
# Page numbers shown on either side of the current page in a pager.
PAGER_SPAN = 2


def category_url(category_id: int, name: str) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _category_url(category_id, name, get_language(), urlconf, get_script_prefix())


@lru_cache(maxsize=1024)
def _category_url(category_id: int, name: str, language, urlconf: str, prefix: str) -> str:
    """Menus, breadcrumbs and ads link the same categories on every page, and the slug's
    pinyin costs more than the rest of the link: each is made once per name and language."""
    return reverse(
        "storefront:category",
        kwargs={"category_id": category_id, "slug": slugify_zh(name)},
        urlconf=urlconf,
    )


def shared_block(
    key: str,
    scopes: Sequence[str],
    compute: Callable[[], T],
    *,
    seconds: int = SHARED_BLOCK_SECONDS,
) -> T:
    """A block computed once for every visitor. Its key holds the generations of the scopes
    it shows (seo/locations.py), so the purge that retires the pages showing a change
    retires the block with them: a page rendered after a purge never shows an older block."""
    stamp = ".".join(str(number) for number in generations.current([SITE, *scopes]))
    full_key = f"storefront:block:{key}:{stamp}"
    return _BLOCKS.get(full_key, lambda: cache.get_or_set(full_key, compute, seconds))


def product_href() -> str:
    """A product page's address with `{0}` for its id, for a list of products."""
    return id_pattern("storefront:product")


def product_url(product_id: int) -> str:
    return product_href().format(product_id)


def request_tree(request) -> CategoryTree:
    """The category tree, built once per request however many parts of the page use it."""
    if not hasattr(request, "_category_tree"):
        request._category_tree = category_tree()
    return request._category_tree


def category_count(request, category_id: int, brand_id: int | None = None) -> int:
    """Goods on sale in a category and its subcategories, of one brand when `brand_id` is
    given, from the per-category and brand counts kept for the current catalogue generation:
    a change of any product or category retires them with the pages that show it, so the
    count is exact whenever the list is."""
    counts = shared_block(
        "category-brand-counts",
        (CATALOGUE, LISTINGS),
        category_product_counts,
        seconds=GENERATION_BLOCK_SECONDS,
    )
    subtree = (counts.get(pk, {}) for pk in request_tree(request).subtree_ids(category_id))
    if brand_id is None:
        return sum(sum(by_brand.values()) for by_brand in subtree)
    return sum(by_brand.get(brand_id, 0) for by_brand in subtree)


def category_href(request, category_id: int | None) -> str:
    return _category_href(request_tree(request), category_id)


def _category_href(tree: CategoryTree, category_id: int | None) -> str:
    node = tree.nodes.get(category_id) if category_id else None
    return category_url(node.id, node.name) if node else ""


def shared_markup(template_name: str, context: dict) -> Markup:
    """A part of a page that is the same for every visitor of a language, rendered for a
    shared block. It is rendered without the request, so it cannot show anything of one
    visitor to another; it gets the storefront's helpers (`context` below) that need none."""
    tree = category_tree()
    helpers = {
        "category_url": category_url,
        "product_url": product_url,
        "product_href": product_href,
        "category_href": lambda category_id: _category_href(tree, category_id),
    }
    return Markup(render_to_string(template_name, {**helpers, **context}))  # noqa: S704 - ours


def breadcrumbs(path: list[CategoryNode], *tail: tuple[str, str]) -> list[tuple[str, str]]:
    """(label, address) pairs from a category path down to the page itself."""
    return [(localized(node), category_url(node.id, node.name)) for node in path] + list(tail)


def breadcrumb_trail(crumbs: list[tuple[str, str]], here: str) -> list[tuple[str, str]]:
    """The items of a page's BreadcrumbList: the home page, then its breadcrumbs, the last one
    (shown without a link) at the page's own address."""
    home = (gettext("首页"), address("storefront:home"))
    return [home, *((label, href or here) for label, href in crumbs)]


def querystring(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key). Any change of
    a filter or the sort starts again from page 1.

    A list page links dozens of variants of its query (sorts, brands, pages): the request's
    parameters are encoded once, and each link encodes only what it changes."""
    params = dict(_encoded_query(request))
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = _pair(key, value)
    return "?" + "&".join(pairs for pairs in params.values() if pairs)


def _pair(key: str, value: object) -> str:
    # A number needs no quoting, nor does a key of ASCII letters, digits and "_" (ours are
    # keyword arguments): a list's links change page numbers and brand ids.
    if type(value) is int and key.isascii() and key.isidentifier():
        return f"{key}={value}"
    return urlencode([(key, str(value))])


def _encoded_query(request) -> list[tuple[str, str]]:
    """(key, its "key=value" pairs joined by &) of the request's query, in order."""
    if not hasattr(request, "_encoded_query"):
        request._encoded_query = [
            (key, urlencode([(key, value) for value in values]))
            for key, values in request.GET.lists()
        ]
    return request._encoded_query


def page_numbers(page) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None stands for a gap."""
    last, current = page.paginator.num_pages, page.number
    shown = {1, last, *range(current - PAGER_SPAN, current + PAGER_SPAN + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= last):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def float_param(request, name: str, low: float, high: float) -> float | None:
    try:
        value = float(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


def help_url(topic: str) -> str:
    """The article that answers the questions of a page (HELPC-1), else the help center."""
    article_id = help_topics().get(topic)
    if article_id is None:
        return reverse("storefront:help")
    return reverse("storefront:help_article", args=[article_id])


def context(request) -> dict:
    """Jinja2 context processor: helpers every storefront page can use."""
    return {
        "category_url": category_url,
        "product_url": product_url,
        "product_href": product_href,
        "category_href": lambda category_id: category_href(request, category_id),
        "breadcrumb_trail": breadcrumb_trail,
        "help_url": help_url,
        "querystring": lambda **changes: querystring(request, **changes),
        "page_numbers": page_numbers,
        "yuan": to_yuan,
    }
