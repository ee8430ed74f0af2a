from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rongcheng.core.money import FEN, split_evenly


def yuan(*amounts: str) -> list[Decimal]:
    return [Decimal(amount) for amount in amounts]


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        ("1.00", 3, yuan("0.33", "0.33", "0.34")),
        ("1.00", 7, yuan("0.14", "0.14", "0.14", "0.14", "0.14", "0.15", "0.15")),
        ("0.05", 3, yuan("0.01", "0.02", "0.02")),
        ("0.01", 3, yuan("0.00", "0.00", "0.01")),
        ("1280.00", 4, yuan("320.00", "320.00", "320.00", "320.00")),
        ("99.99", 1, yuan("99.99")),
        ("10", 2, yuan("5.00", "5.00")),
        ("0.125", 2, yuan("0.06", "0.07")),  # rounded half up to 0.13 first
        ("-1.00", 3, yuan("-0.34", "-0.33", "-0.33")),
    ],
)
def test_split_gives_each_part_its_share_and_the_left_over_fen_to_the_last_parts(
    total, parts, expected
):
    result = split_evenly(Decimal(total), parts)
    assert result == expected
    assert [amount.as_tuple().exponent for amount in result] == [-2] * parts


def test_a_split_into_no_part_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        split_evenly(Decimal("1.00"), 0)


@given(
    fen=st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1),
    parts=st.integers(min_value=1, max_value=500),
)
def test_parts_add_up_to_the_total_and_differ_by_at_most_one_fen(fen, parts):
    total = Decimal(fen) * FEN
    result = split_evenly(total, parts)
    assert len(result) == parts
    assert sum(result, Decimal("0.00")) == total
    assert max(result) - min(result) <= FEN
    # Largest remainder: each part is its exact share rounded down or up to the fen (less
    # than a fen away), and the rounded-up ones, as many as the fen left over, come last.
    exact = total / parts
    assert all(abs(amount - exact) < FEN for amount in result)
    assert result == sorted(result)
