from rongcheng.core.errors import ApplicationError


class BagInvalid(ApplicationError):
    """The bag refuses the change as it stands (full, or past the per-line limit)."""

    code = "bag_invalid"
    status = 409


class BagLineMissing(BagInvalid):
    """The SKU is not in the bag."""

    code = "bag_line_not_found"
    status = 404


class SkuUnavailable(ApplicationError):
    """The SKU is not sold (inactive, delisted everywhere) or has no stock left."""

    code = "sku_unavailable"
    status = 409
