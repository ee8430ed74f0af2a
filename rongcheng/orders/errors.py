from rongcheng.core.errors import ApplicationError, NotFound


class OrderNotFound(NotFound):
    code = "order_not_found"


class TransitionNotAllowed(ApplicationError):
    """The order is not in a state from which this step may be taken."""

    code = "order_state_invalid"
    status = 409


class OrderNotChangeable(ApplicationError):
    code = "order_not_changeable"
    status = 409


class CancellationInvalid(ApplicationError):
    code = "cancellation_invalid"
    status = 409
