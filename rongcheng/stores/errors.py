from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied


class StoreNotFound(NotFound):
    code = "store_not_found"


class StoreAccessDenied(PermissionDenied):
    """The user is not on the staff of this store (or not in a role allowed to do this)."""

    code = "store_access_denied"


class StoreClosed(PermissionDenied):
    """The store is closed (not active): nobody acts for it any more."""

    code = "store_closed"


class StoreInUse(ApplicationError):
    """Other records refer to the store: it can be closed, not deleted."""

    code = "store_in_use"
    status = 409


class StoreInvalid(ApplicationError):
    code = "store_invalid"
