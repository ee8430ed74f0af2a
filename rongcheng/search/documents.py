"""What the index holds for each kind of thing: the rows built from products and stores.

Builders load a whole batch in a fixed number of queries and return unsaved rows; services.py
writes them. Text is built in Chinese whatever the request's language, as shoppers search in it,
with the English values beside it (INTL-1), so an English word finds the same document.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.html import strip_tags

from rongcheng.catalog.models import Category, Product, ProductAttributeValue, Sku
from rongcheng.helpcenter.models import Article
from rongcheng.helpcenter.selectors import published_articles
from rongcheng.search.models import DocType, SearchDocument
from rongcheng.search.text import characters, index_terms, pinyin_terms
from rongcheng.stores.models import Store
from rongcheng.stores.selectors import SHOP_KINDS

DESCRIPTION_CHARS = 2000


@dataclass
class Row:
    document: SearchDocument


def _join(terms: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(terms))


def _fingerprinted(document: SearchDocument) -> SearchDocument:
    """Stamp the document with a digest of everything it holds: a re-index skips documents
    whose digest has not changed, so rebuilding an index rewrites (and bloats) nothing."""
    parts = [
        document.title,
        document.title_en,
        document.summary,
        document.summary_en,
        document.title_terms,
        document.body_terms,
        document.pinyin_terms,
        str(document.category_id),
        str(document.brand_id),
        str(document.price),
        str(document.sales_count),
        str(document.launch_date),
        document.city_code,
        *(f"{attribute_id}={value}" for attribute_id, value in document.key_values.items()),
    ]
    document.fingerprint = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return document


def _category_paths() -> dict[int, list[str]]:
    """Every category's names (Chinese and English) from the root down, inactive ones
    included (one query)."""
    rows = {
        pk: (f"{name} {name_en}", parent)
        for pk, name, name_en, parent in Category.objects.values_list(
            "id", "name", "name_en", "parent_id"
        )
    }
    paths: dict[int, list[str]] = {}
    for pk in rows:
        names: list[str] = []
        node: int | None = pk
        while node is not None and node in rows and len(names) <= len(rows):
            name, parent = rows[node]
            names.append(name)
            node = parent
        paths[pk] = names[::-1]
    return paths


def indexable_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def indexable_stores() -> QuerySet[Store]:
    """Open shops; fulfillment centers only ship and are not searched."""
    return Store.objects.filter(is_active=True, kind__in=SHOP_KINDS)


def products_on_sale(product_ids: Iterable[int]) -> list[Product]:
    """The active products among the ids, with what their documents need (five queries)."""
    values = ProductAttributeValue.objects.select_related("attribute", "option")
    return list(
        indexable_products()
        .filter(id__in=list(product_ids))
        .select_related("brand", "audience")
        .prefetch_related(
            Prefetch("attribute_values", queryset=values),
            Prefetch(
                "skus",
                queryset=Sku.objects.filter(is_active=True).only("product", "colour", "colour_en"),
            ),
            "parameters",
        )
    )


def product_rows(products: list[Product]) -> list[Row]:
    paths = _category_paths() if products else {}
    rows = []
    with translation.override("zh-hans"):
        for product in products:
            rows.append(_product_row(product, paths.get(product.category_id, [])))
    return rows


def _value_texts(values: list[ProductAttributeValue]) -> list[str]:
    """Attribute values in both languages."""
    texts = []
    for value in values:
        english = value.option.value_en if value.option is not None else value.value_en
        texts += [value.display_value, english]
    return texts


def _product_row(product: Product, category_names: list[str]) -> Row:
    brand = product.brand
    values = list(product.attribute_values.all())
    audience = product.audience
    body = " ".join(
        [
            product.subtitle,
            product.subtitle_en,
            brand.name,
            brand.name_latin,
            " ".join(category_names),
            product.style_code,
            f"{audience.name} {audience.name_en}" if audience else "",
            " ".join(_value_texts(values)),
            " ".join(
                f"{p.name} {p.value} {p.name_en} {p.value_en}" for p in product.parameters.all()
            ),
            " ".join({f"{sku.colour} {sku.colour_en}" for sku in product.skus.all()}),
            strip_tags(product.description)[:DESCRIPTION_CHARS],
            strip_tags(product.description_en)[:DESCRIPTION_CHARS],
        ]
    )
    document = SearchDocument(
        doc_type=DocType.PRODUCT,
        object_id=product.id,
        title=product.name,
        title_en=product.name_en,
        summary=product.subtitle[:300],
        summary_en=product.subtitle_en[:300],
        title_terms=_join([*index_terms(product.name), *index_terms(product.name_en)]),
        body_terms=_join([*index_terms(body), *characters(product.name)]),
        # Pinyin of the name and the brand; category names are found in Chinese, and by
        # pinyin among the suggestions, which keeps every document smaller.
        pinyin_terms=_join([*pinyin_terms(product.name), *pinyin_terms(brand.name)]),
        category_id=product.category_id,
        brand_id=product.brand_id,
        price=product.price,
        sales_count=product.sales_count,
        launch_date=product.launch_date,
    )
    # In the order of the ids: equal values make equal JSON text, which SQLite groups by.
    document.key_values = {
        str(value.attribute_id): value.display_value
        for value in sorted(values, key=lambda value: value.attribute_id)
        if value.attribute.is_key
    }
    return Row(_fingerprinted(document))


def shops(store_ids: Iterable[int]) -> list[Store]:
    """The open shops among the ids."""
    return list(indexable_stores().filter(id__in=list(store_ids)).select_related("city"))


def store_rows(stores: list[Store]) -> list[Row]:
    rows = []
    with translation.override("zh-hans"):
        for store in stores:
            city = store.city.name
            body = " ".join(
                [
                    store.address,
                    store.address_en,
                    city,
                    store.city.name_en,
                    str(store.get_kind_display()),
                    store.description,
                    store.description_en,
                ]
            )
            document = SearchDocument(
                doc_type=DocType.STORE,
                object_id=store.id,
                title=store.name,
                title_en=store.name_en,
                summary=store.address[:300],
                summary_en=store.address_en[:300],
                title_terms=_join([*index_terms(store.name), *index_terms(store.name_en)]),
                body_terms=_join([*index_terms(body), *characters(store.name)]),
                pinyin_terms=_join([*pinyin_terms(store.name), *pinyin_terms(city)]),
                city_code=store.city_id,
            )
            rows.append(Row(_fingerprinted(document)))
    return rows


def indexable_articles() -> QuerySet[Article]:
    return published_articles()


def articles_published(article_ids: Iterable[int]) -> list[Article]:
    """The published articles among the ids, with their columns (one query)."""
    return list(indexable_articles().filter(id__in=list(article_ids)).select_related("column"))


def article_rows(articles: list[Article]) -> list[Row]:
    """Help articles: the title and both bodies, found in Chinese and in English (SRCH-1)."""
    rows = []
    for article in articles:
        column = article.column
        body = " ".join(
            [
                article.summary,
                article.summary_en,
                column.name,
                column.name_en,
                strip_tags(article.body)[:DESCRIPTION_CHARS],
                strip_tags(article.body_en)[:DESCRIPTION_CHARS],
            ]
        )
        document = SearchDocument(
            doc_type=DocType.ARTICLE,
            object_id=article.id,
            title=article.title,
            title_en=article.title_en,
            summary=article.summary[:300],
            summary_en=article.summary_en[:300],
            title_terms=_join([*index_terms(article.title), *index_terms(article.title_en)]),
            body_terms=_join([*index_terms(body), *characters(article.title)]),
            pinyin_terms=_join(pinyin_terms(article.title)),
        )
        rows.append(Row(_fingerprinted(document)))
    return rows
