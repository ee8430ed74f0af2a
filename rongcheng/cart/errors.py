from rongcheng.core.errors import ApplicationError


class BagInvalid(ApplicationError):
    code = "bag_invalid"


class SkuUnavailable(ApplicationError):
    """The SKU is not sold (inactive, delisted everywhere) or has no stock left."""

    code = "sku_unavailable"
    status = 409
