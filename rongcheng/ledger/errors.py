from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied, RateLimited


class InvalidPosting(ApplicationError):
    """Legs that cannot make a journal: unbalanced, not exact to the fen, mixed up."""

    code = "ledger_invalid_posting"


class InsufficientBalance(ApplicationError):
    code = "insufficient_balance"
    status = 409


class IdempotencyConflict(ApplicationError):
    """The key was already used for a different movement."""

    code = "ledger_idempotency_conflict"
    status = 409


class AlreadyReversed(ApplicationError):
    code = "ledger_already_reversed"
    status = 409


class WithdrawalInvalid(ApplicationError):
    code = "withdrawal_invalid"


class TopupInvalid(ApplicationError):
    code = "topup_invalid"


class WithdrawalNotFound(NotFound):
    code = "withdrawal_not_found"


class TransitionNotAllowed(ApplicationError):
    code = "transition_not_allowed"
    status = 409


class ReviewDenied(PermissionDenied):
    code = "withdrawal_review_denied"


class PaymentPasswordInvalid(ApplicationError):
    """A new payment password that is not six digits or is too easy to guess."""

    code = "payment_password_invalid"


class PaymentPasswordNotSet(ApplicationError):
    code = "payment_password_not_set"
    status = 409


class PaymentPasswordIncorrect(PermissionDenied):
    code = "payment_password_incorrect"


class PaymentPasswordLocked(RateLimited):
    code = "payment_password_locked"


class VerificationRequired(ApplicationError):
    """Setting the payment password needs the login password or an SMS code."""

    code = "verification_required"
