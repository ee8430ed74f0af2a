"""What other records refer to in the catalogue: it decides between deleting a product and
taking it off sale. Stock rows stay for every SKU a store ever held (the stock journal points
at them), so stock and listings together tell whether a product has a history."""

from rongcheng.catalog.models import Product, Sku


def product_has_history(*, product: Product) -> bool:
    """Whether a store ever listed or held the product (later: whether it was ordered)."""
    return (
        product.listings.exists()
        or Sku.objects.filter(product=product, stock__isnull=False).exists()
    )
