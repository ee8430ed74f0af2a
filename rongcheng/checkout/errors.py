from rongcheng.core.errors import ApplicationError
from rongcheng.core.money import from_fen


class CheckoutInvalid(ApplicationError):
    """The bag or the chosen delivery refuses the checkout (nothing ticked, not the buyer's
    address, a closed store)."""

    code = "checkout_invalid"
    status = 409


class LineUnavailable(ApplicationError):
    """A line cannot be served: the SKU left the catalogue or no store can ship it."""

    code = "line_unavailable"
    status = 409


class PriceChanged(ApplicationError):
    """The total differs from the one the buyer confirmed: show the new one and ask again."""

    code = "price_changed"
    status = 409

    def __init__(self, message, *, total_fen: int):
        super().__init__(message)
        self.total_fen = total_fen

    def as_dict(self) -> dict[str, str]:
        return super().as_dict() | {"total": str(from_fen(self.total_fen))}


class CheckoutNotPayable(ApplicationError):
    """No order of the checkout awaits payment (paid, cancelled or closed), or not the buyer's."""

    code = "checkout_not_payable"
    status = 409


class CounterNotFound(ApplicationError):
    """No unpaid checkout of that number whose orders the store ships."""

    code = "counter_checkout_not_found"
    status = 404


class CounterAmountMismatch(ApplicationError):
    """The cash recorded is not the amount due."""

    code = "counter_amount_mismatch"
    status = 409
