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


class UsernameInvalid(ApplicationError):
    code = "username_invalid"


class UsernameLocked(ApplicationError):
    """The system-generated username may be replaced once; a chosen one stays."""

    code = "username_locked"


class ProfileInvalid(ApplicationError):
    code = "profile_invalid"


class ConsentRequired(ApplicationError):
    """Consent to the terms and the privacy policy ends only by closing the account."""

    code = "consent_required"


class AddressLimitReached(ApplicationError):
    code = "address_limit_reached"


class PasswordIncorrect(ApplicationError):
    code = "password_incorrect"
    status = 403
