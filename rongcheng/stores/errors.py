from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied


class StoreNotFound(NotFound):
    code = "store_not_found"


class StoreAccessDenied(PermissionDenied):
    """The user is not on the staff of this store (or not in a role allowed to do this)."""

    code = "store_access_denied"


class StoreInvalid(ApplicationError):
    code = "store_invalid"
