"""All rounding of money and points happens here (yuan, two decimals, ROUND_HALF_UP)."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_yuan(value: Decimal | int | str) -> Decimal:
    """Round a yuan amount to the fen."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts in fen; the last part carries the remainder."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    total = to_yuan(total)
    share = (total / parts).quantize(FEN, rounding="ROUND_DOWN")
    return [share] * (parts - 1) + [total - share * (parts - 1)]
