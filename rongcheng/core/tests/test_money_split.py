from hypothesis import given
from hypothesis import strategies as st

from rongcheng.core.money import from_fen, split_by_weights, to_fen


def test_the_largest_remainders_get_the_fen_left_over():
    assert split_by_weights(100, [1, 1, 1]) == [34, 33, 33]
    assert split_by_weights(1000, [128000, 64000, 8000]) == [640, 320, 40]
    assert split_by_weights(7, [2, 3, 5]) == [1, 2, 4]  # 1.4, 2.1, 3.5
    assert split_by_weights(5, [0, 0]) == [3, 2]
    assert split_by_weights(0, [3, 4]) == [0, 0]


def test_fen_conversions_round_half_up():
    assert to_fen("12.345") == 1235
    assert str(from_fen(123456)) == "1234.56"


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=40),
)
def test_parts_add_up_and_stay_within_a_fen_of_their_share(total, weights):
    parts = split_by_weights(total, weights)
    assert sum(parts) == total
    whole = sum(weights) or len(weights)
    shares = weights if any(weights) else [1] * len(weights)
    for part, weight in zip(parts, shares, strict=True):
        assert abs(part * whole - total * weight) < whole
