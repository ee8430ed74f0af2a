from rongcheng.core.errors import ApplicationError


class UnknownPurpose(ApplicationError):
    """No app registered a handler for what is being paid."""

    code = "payment_unknown_purpose"


class ChannelUnavailable(ApplicationError):
    code = "payment_channel_unavailable"


class InvalidAmount(ApplicationError):
    code = "payment_invalid_amount"


class InvalidTransition(ApplicationError):
    code = "payment_invalid_transition"
    status = 409


class GatewayUnavailable(ApplicationError):
    """The provider could not be reached or gave no usable answer; trying again is safe."""

    code = "payment_gateway_unavailable"
    status = 502


class RefundNotAllowed(ApplicationError):
    code = "refund_not_allowed"
    status = 409


class RefundExceedsPayment(ApplicationError):
    code = "refund_exceeds_payment"
    status = 409


class RefundRequestConflict(ApplicationError):
    """The refund request id was used before for a different payment or amount."""

    code = "refund_request_conflict"
    status = 409
