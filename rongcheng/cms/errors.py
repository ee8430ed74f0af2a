from rongcheng.core.errors import ApplicationError


class InUse(ApplicationError):
    """Other records still refer to what was to be deleted."""

    code = "cms_in_use"
    status = 409
