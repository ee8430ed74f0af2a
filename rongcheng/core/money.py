"""All rounding of money and points happens here (yuan, two decimals, ROUND_HALF_UP)."""

from collections.abc import Sequence
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


def to_fen(amount: Decimal | int | str) -> int:
    """A yuan amount as whole fen (the unit price calculations work in)."""
    return int(to_yuan(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Whole fen back to a yuan amount with two decimals."""
    return (Decimal(fen) / 100).quantize(FEN)


def split_by_weights(total_fen: int, weights: Sequence[int]) -> list[int]:
    """Split `total_fen` in proportion to `weights` by the largest-remainder rule.

    Each part gets the floor of its exact share; the fen left over go one each to the parts
    with the largest remainders (ties to the earlier part), so the parts add up exactly and
    no part is off its exact share by a whole fen. All-zero weights split evenly.
    """
    if not weights:
        raise ValueError("weights must not be empty")
    if total_fen < 0 or any(weight < 0 for weight in weights):
        raise ValueError("amounts and weights must not be negative")
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total_fen * weight // whole for weight in weights]
    remainders = [total_fen * weight % whole for weight in weights]
    left = total_fen - sum(parts)
    for index in sorted(range(len(parts)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return parts
