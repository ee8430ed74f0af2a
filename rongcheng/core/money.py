"""All rounding of money and points happens here (yuan, two decimals, ROUND_HALF_UP)."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_yuan(value: Decimal | int | str) -> Decimal:
    """Round a yuan amount to the fen."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts in fen that add up to it exactly.

    Largest remainder: every part gets the whole fen of its equal share; the fen left over go
    one each to the parts with the largest remainders. Equal shares all have the same
    remainder, so the tie goes to the last parts: 1.00 in 3 is 0.33, 0.33, 0.34.
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")
    share, left_over = divmod(int(to_yuan(total) / FEN), parts)
    fen = [share] * (parts - left_over) + [share + 1] * left_over
    return [Decimal(amount) * FEN for amount in fen]
