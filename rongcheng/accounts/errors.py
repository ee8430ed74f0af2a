from rongcheng.core.errors import ApplicationError, RateLimited


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 401


class LoginLocked(ApplicationError):
    code = "login_locked"
    status = 429


class IdentifierTaken(ApplicationError):
    code = "identifier_taken"
    status = 409


class InvalidSmsCode(ApplicationError):
    """A wrong, used or expired code: the number is not proven, whatever the request's form."""

    code = "invalid_sms_code"
    status = 403


class SmsLimited(RateLimited):
    code = "sms_rate_limited"


class IdentityIncomplete(ApplicationError):
    """Real name and mobile are needed before a first transaction (MEM-2)."""

    code = "identity_incomplete"
    status = 409


class AddressInvalid(ApplicationError):
    code = "address_invalid"


class AccountClosed(ApplicationError):
    code = "account_closed"


class MobileInvalid(ApplicationError):
    code = "mobile_invalid"


class EmailCodeLimited(RateLimited):
    code = "email_code_rate_limited"


class UsernameInvalid(ApplicationError):
    code = "username_invalid"


class UsernameLocked(ApplicationError):
    """The system-generated username may be replaced once; a chosen one stays."""

    code = "username_locked"
    status = 409


class ProfileInvalid(ApplicationError):
    code = "profile_invalid"


class ConsentRequired(ApplicationError):
    """Terms and privacy policy are each agreed to on their own (PIPL, LAW-4); that consent
    ends only by closing the account."""

    code = "consent_required"


class PasswordInvalid(ApplicationError):
    """The new password fails the password rules."""

    code = "password_invalid"


class PasswordIncorrect(ApplicationError):
    """The current password given to confirm a change is wrong."""

    code = "password_incorrect"
    status = 403


class ResetLinkInvalid(ApplicationError):
    code = "reset_link_invalid"


class SecurityAnswerIncorrect(ApplicationError):
    code = "security_answer_incorrect"


class SecurityAnswerLimited(RateLimited):
    code = "security_answer_rate_limited"


class NoVerificationChannel(ApplicationError):
    """The member has neither a mobile nor an e-mail to confirm their identity with."""

    code = "no_verification_channel"


class AddressLimitReached(ApplicationError):
    code = "address_limit_reached"
