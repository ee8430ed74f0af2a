"""Retire cached and published copies of pages when what they show changes.

Services call these inside their transaction; the generations are bumped after it commits
(never for a rolled-back change, never before readers can see the new data), then published
files are refreshed by a task.

    purge_products(product_ids=[...])  a product's price, name, pictures, SKUs
    purge_stock(product_ids=[...])     the stock of a product in a store that sells it
    purge_store(store_id=...)          a store's details, what it lists
    purge_catalogue()                  the category tree, brands: every catalogue page
    purge_cms()                        home areas, ads, videos, notices (home, category pages)
    purge_help()                       help columns and articles (the help pages, the sitemap)
"""

from collections.abc import Iterable

from django.db import transaction

from rongcheng.seo import generations
from rongcheng.seo.locations import (
    CATALOGUE,
    CMS,
    HELP,
    LISTINGS,
    STORES,
    product_scope,
    store_scope,
)


def _on_commit(scopes: list[str]) -> None:
    def bump_and_refresh() -> None:
        from rongcheng.seo.tasks import refresh_published_pages

        generations.bump(scopes)
        refresh_published_pages.delay()

    transaction.on_commit(bump_and_refresh)


def purge_products(*, product_ids: Iterable[int]) -> None:
    """The products' own pages, and every list (lists show prices and order by them)."""
    scopes = [product_scope(pk) for pk in sorted(set(product_ids))]
    if scopes:
        _on_commit([*scopes, LISTINGS])


def purge_stock(*, product_ids: Iterable[int]) -> None:
    """The products' own pages only: they show the units in the visitor's city's stores;
    no list and no store page shows stock."""
    scopes = [product_scope(pk) for pk in sorted(set(product_ids))]
    if scopes:
        _on_commit(scopes)


def purge_store(*, store_id: int) -> None:
    """The store's page and the lists of stores (featured stores, the store sitemap)."""
    _on_commit([store_scope(store_id), STORES])


def purge_catalogue() -> None:
    _on_commit([CATALOGUE])


def purge_cms() -> None:
    _on_commit([CMS])


def purge_help() -> None:
    _on_commit([HELP])
