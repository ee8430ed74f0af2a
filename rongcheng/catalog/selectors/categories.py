"""The category tree (cached) and what hangs on it."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef

from rongcheng.catalog.models import Attribute, Category, Product
from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.process_copies import ProcessCopies
from rongcheng.seo import generations

CATEGORY_TREE_CACHE_KEY = "catalog:category-rows:v2"
# Each process keeps the tree it built for a few seconds under the catalogue's generation,
# which a change of any category bumps (services.category_tree_invalidate): a page reads
# that generation anyway, and the tree then costs it neither a round trip nor a build.
_TREES = ProcessCopies(seconds=10, size=4)


def category_tree() -> CategoryTree:
    """The active categories as a tree, from the cache (one query when it is cold)."""
    from rongcheng.seo.locations import CATALOGUE  # which lists pages built on this tree

    (generation,) = generations.current([CATALOGUE])
    return _TREES.get(generation, _shared_tree)


def category_tree_forget() -> None:
    """Drop this process's trees at once, before the generation moves on commit."""
    _TREES.clear()


def _shared_tree() -> CategoryTree:
    rows = cache.get(CATEGORY_TREE_CACHE_KEY)
    if rows is None:
        rows = list(
            Category.objects.filter(is_active=True)
            .order_by("position", "id")
            .values_list("id", "name", "name_en", "parent_id", "is_recommended", "product_type_id")
        )
        ttl = settings.RONGCHENG["CATEGORY_TREE_CACHE_TTL"].total_seconds()
        cache.set(CATEGORY_TREE_CACHE_KEY, rows, int(ttl))
    return CategoryTree.build(rows)


def category_key_attributes(*, category_id: int) -> list[Attribute]:
    """The key attributes of a category's product type, with their options (SRCH-2)."""
    type_id = category_tree().product_type_id(category_id)
    if type_id is None:
        return []
    return list(
        Attribute.objects.filter(product_type_id=type_id, is_key=True).prefetch_related("options")
    )


def category_product_counts() -> dict[int, dict[int, int]]:
    """Goods on sale per category (its own, not its subcategories') and, within it, per
    brand, in one grouped query.

    A root category of a large catalogue holds tens of thousands of goods, and counting them
    for each page of its list, or of its list narrowed to a brand, costs more than the rest
    of the page; the storefront keeps these counts per catalogue generation
    (storefront.browse.category_count).
    """
    rows = (
        Product.objects.filter(is_active=True)
        .order_by()
        .values("category_id", "brand_id")
        .annotate(products=Count("id"))
        .values_list("category_id", "brand_id", "products")
    )
    counts: dict[int, dict[int, int]] = {}
    for category_id, brand_id, products in rows:
        counts.setdefault(category_id, {})[brand_id] = products
    return counts


def category_ids_on_sale() -> set[int]:
    """Active categories whose subtree holds goods on sale, ancestors included (CAT-2).

    One query: an index probe per category, whatever the number of products.
    """
    tree = category_tree()
    has_goods = Exists(Product.objects.filter(category=OuterRef("pk"), is_active=True))
    direct = Category.objects.filter(id__in=list(tree.nodes)).filter(has_goods)
    ids: set[int] = set()
    for category_id in direct.values_list("id", flat=True):
        ids.update(node.id for node in tree.path(category_id))
    return ids
