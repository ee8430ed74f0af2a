from rongcheng.core.errors import ApplicationError, NotFound


class RegistrationInvalid(ApplicationError):
    """Quantity out of range, no consent, no mobile, or a city that is not one."""

    code = "restock_invalid"


class RegistrationNotFound(NotFound):
    code = "restock_not_found"


class SkuUnavailable(NotFound):
    code = "restock_sku_unavailable"


class RegistrationStateInvalid(ApplicationError):
    """The registration has moved on (ordered or closed)."""

    code = "restock_state_invalid"
    status = 409


class CityUnknown(NotFound):
    code = "restock_city_unknown"
