"""Writes to the catalogue: category tree, brands, products, product prices and images."""

from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import TypeVar

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.catalog.errors import CategoryCycle, CategoryInUse, InUse
from rongcheng.catalog.media import thumbnail_bytes
from rongcheng.catalog.models import (
    Attribute,
    Audience,
    Brand,
    Category,
    Product,
    ProductImage,
    ProductType,
    Sku,
)
from rongcheng.catalog.references import product_has_history
from rongcheng.catalog.selectors.categories import CATEGORY_TREE_CACHE_KEY, category_tree_forget
from rongcheng.core import image_variants
from rongcheng.core.stored_files import delete_after_commit
from rongcheng.search.services import product_index_update_for, product_index_update_later
from rongcheng.seo.purge import purge_catalogue, purge_cms, purge_products

Saved = TypeVar("Saved", bound=models.Model)


def category_tree_invalidate() -> None:
    """Drop the cached tree now (for this transaction) and again after commit, so no
    reader can cache the old tree between the two."""
    cache.delete(CATEGORY_TREE_CACHE_KEY)
    category_tree_forget()
    transaction.on_commit(lambda: cache.delete(CATEGORY_TREE_CACHE_KEY))
    purge_catalogue()


def category_validate(*, category: Category) -> None:
    """A category may move anywhere except under itself or its own subtree."""
    if category.pk is None or category.parent_id is None:
        return
    parents = dict(Category.objects.values_list("id", "parent_id"))
    node_id: int | None = category.parent_id
    while node_id is not None:
        if node_id == category.pk:
            raise CategoryCycle(_("不能把类目移到它自己或它的下级类目之下。"), field="parent")
        node_id = parents.get(node_id)


def category_save(*, category: Category) -> Category:
    """Create or change a category and refresh the cached tree."""
    with transaction.atomic():
        category_validate(category=category)
        category.save()
        category_tree_invalidate()
        # Product documents carry their category names: re-index the subtree's products.
        transaction.on_commit(lambda: product_index_update_for(category_ids=[category.pk]))
    return category


def category_delete(*, category: Category) -> None:
    with transaction.atomic():
        if category.children.exists() or category.products.exists():
            raise CategoryInUse(_("类目下还有子类目或商品，不能删除。"))
        category.delete()
        category_tree_invalidate()


def _catalogue_save(item: Saved, *, reindex: Callable[[], dict[str, list[int]]] | None) -> Saved:
    """Save a brand, audience, product type or attribute: catalogue pages show them all, and
    product documents carry their names (`reindex`: product_index_update_for's arguments,
    read after the commit)."""
    with transaction.atomic():
        item.save()
        purge_catalogue()
        if reindex is not None:
            transaction.on_commit(lambda: product_index_update_for(**reindex()))
    return item


def _catalogue_delete(item: models.Model, *, used: bool, refusal: str) -> None:
    with transaction.atomic():
        if used:
            raise InUse(refusal)
        item.delete()
        purge_catalogue()


def brand_save(*, brand: Brand) -> Brand:
    """Create or change a brand (its features and audiences are saved with it); the logo's
    WebP variants are written after the commit when it lacks them."""
    lacks_variants = image_variants.take_stock(brand, "logo", "logo")
    with transaction.atomic():
        _catalogue_save(brand, reindex=lambda: {"brand_ids": [brand.pk]})
        if lacks_variants:
            image_variants.write_after_commit(brand, "logo", "logo")
    return brand


def brand_delete(*, brand: Brand) -> None:
    _catalogue_delete(
        brand,
        used=brand.products.exists(),
        refusal=_("品牌下还有商品，不能删除；可取消勾选“启用”停用该品牌。"),
    )


def audience_save(*, audience: Audience) -> Audience:
    return _catalogue_save(audience, reindex=lambda: {"audience_ids": [audience.pk]})


def audience_delete(*, audience: Audience) -> None:
    _catalogue_delete(
        audience,
        used=audience.brands.exists() or audience.products.exists(),
        refusal=_("还有品牌或商品属于这个适用人群，不能删除。"),
    )


def product_type_save(*, product_type: ProductType) -> ProductType:
    """Create or change a product type; its attributes are saved through attribute_save."""
    return _catalogue_save(product_type, reindex=None)


def product_type_delete(*, product_type: ProductType) -> None:
    _catalogue_delete(
        product_type,
        used=product_type.products.exists() or product_type.categories.exists(),
        refusal=_("还有商品或类目使用这个商品类型，不能删除。"),
    )


def attribute_save(*, attribute: Attribute) -> Attribute:
    """Create or change an attribute (with its options): category filters and product pages
    show it, and product documents carry its values."""
    return _catalogue_save(
        attribute, reindex=lambda: {"product_type_ids": [attribute.product_type_id]}
    )


def attribute_delete(*, attribute: Attribute) -> None:
    _catalogue_delete(
        attribute,
        used=attribute.values.exists(),
        refusal=_("还有商品填写了这个属性，不能删除。"),
    )


def product_save(*, product: Product) -> Product:
    """Create or change a product; its SKUs, pictures and parameters are saved with it, then
    product_price_refresh follows the SKUs' prices."""
    with transaction.atomic():
        product.save()
        purge_products(product_ids=[product.pk])
        product_index_update_later(product_ids=[product.pk])
    return product


def product_delete(*, product: Product) -> bool:
    """Delete a product entered by mistake; one with a history (listed or stocked by a store,
    later ordered) is taken off sale instead, so that the records keep pointing at it.
    Returns whether it was deleted."""
    with transaction.atomic():
        product_id = product.pk
        purge_products(product_ids=[product_id])
        product_index_update_later(product_ids=[product_id])  # either way it leaves the index
        if product_has_history(product=product):
            product.is_active = False
            product.save(update_fields=["is_active", "updated_at"])
            return False
        product.delete()
        purge_cms()  # home areas, videos and ads may have shown it
    return True


def product_price_refresh(*, product_ids: Iterable[int]) -> None:
    """Keep each product's lowest national price (the list sort key) in step with its SKUs."""
    cheapest = (
        Sku.objects.filter(product=OuterRef("pk"), is_active=True)
        .values("product")
        .annotate(low=Min("price"))
        .values("low")
    )
    ids = list(product_ids)
    with transaction.atomic():
        Product.objects.filter(id__in=ids).update(price=Coalesce(Subquery(cheapest), Value(0)))
        purge_products(product_ids=ids)
        product_index_update_later(product_ids=ids)


def product_image_thumbnail_refresh(*, image: ProductImage) -> ProductImage:
    """Generate the list thumbnail and the WebP variants of the picture and of the thumbnail
    (core/image_variants.py) once the picture is committed.

    Storage is not transactional: the new files are written after the commit, the row is pointed
    at it only if it still shows the same picture (else the new files are removed), and the old
    thumbnail leaves storage after that second commit. A rollback anywhere leaves no orphan
    file and no row naming a missing one. Until then pages show the new picture as itself:
    the widths recorded were those of the picture it replaced.
    """
    picture = image.image.name
    if image.image_widths:
        image.image_widths = ""
        ProductImage.objects.filter(pk=image.pk).update(image_widths="")
    transaction.on_commit(lambda: _thumbnail_write(image=image, picture=picture))
    return image


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _thumbnail_write(*, image: ProductImage, picture: str) -> None:
    with default_storage.open(picture, "rb") as source:
        data = source.read()
    field = ProductImage._meta.get_field("thumbnail")
    name = default_storage.save(
        field.generate_filename(image, PurePosixPath(picture).stem + ".jpg"),
        ContentFile(thumbnail_bytes(data)),
    )
    written = [name]
    try:
        written += image_variants.write(picture, "picture", source=data)
        written += image_variants.write(name, "thumbnail", source=data)
        with transaction.atomic():
            old = (
                ProductImage.objects.select_for_update()
                .filter(pk=image.pk, image=picture)
                .values_list("thumbnail", flat=True)
                .first()
            )
            if old is not None:
                ProductImage.objects.filter(pk=image.pk).update(
                    image_widths=image_variants.recorded("picture"),
                    thumbnail=name,
                    thumbnail_widths=image_variants.recorded("thumbnail"),
                    updated_at=timezone.now(),
                )
                delete_after_commit([old])
    except Exception:
        _delete_files(written)
        raise
    if old is None:  # deleted or given another picture meanwhile: nothing names the new files
        _delete_files(written)
        return
    image.thumbnail.name = name
    image.image_widths = image_variants.recorded("picture")
    image.thumbnail_widths = image_variants.recorded("thumbnail")
