"""Application errors: a stable code for machines and a translated message for people.

Every app's errors.py subclasses ApplicationError. One handler in the API and one in the
storefront turn them into `{code, message}` JSON and a message on the page.
"""

from django.utils.functional import Promise


class ApplicationError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str = ""):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self.message)}


class NotFound(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429
