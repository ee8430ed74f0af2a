from rongcheng.core.errors import ApplicationError, RateLimited


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 401


class LoginLocked(ApplicationError):
    code = "login_locked"
    status = 429


class IdentifierTaken(ApplicationError):
    code = "identifier_taken"


class InvalidSmsCode(ApplicationError):
    code = "invalid_sms_code"


class SmsLimited(RateLimited):
    code = "sms_rate_limited"


class IdentityIncomplete(ApplicationError):
    """Real name and mobile are needed before a first transaction (MEM-2)."""

    code = "identity_incomplete"


class AddressInvalid(ApplicationError):
    code = "address_invalid"


class AccountClosed(ApplicationError):
    code = "account_closed"
