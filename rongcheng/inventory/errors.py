from rongcheng.core.errors import ApplicationError


class InsufficientStock(ApplicationError):
    code = "insufficient_stock"
    status = 409


class InvalidQuantity(ApplicationError):
    code = "invalid_quantity"


class ProductUnavailable(ApplicationError):
    """The product is not (or no longer) in the platform's catalogue."""

    code = "product_unavailable"
