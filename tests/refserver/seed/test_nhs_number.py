"""Tests for carecheck.refserver.seed.nhs_number: Modulus 11 check digits and the synthetic numbers."""

from __future__ import annotations

import pytest

from carecheck.refserver.seed.nhs_number import check_digit, is_valid_nhs_number, synthetic_nhs_number


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9658218873", True),  # MEAKIN, InterOpen
        ("9564963656", True),  # a CCRI demo patient
        ("9658218874", False),
        ("965821887", False),
        ("96582188730", False),
        ("965821887a", False),
        ("9990000018", True),
    ],
)
def test_is_valid_nhs_number(number: str, valid: bool) -> None:
    assert is_valid_nhs_number(number) is valid


def test_a_remainder_of_one_has_no_check_digit_so_the_next_number_is_taken() -> None:
    assert check_digit("999000000") is None  # weighted sum 243 leaves 1: 11 - 1 = 10 is no digit
    assert check_digit("999000001") == 8
    assert synthetic_nhs_number(0) == "9990000018"


def test_synthetic_numbers_are_valid_unique_and_in_the_test_range() -> None:
    numbers = [synthetic_nhs_number(index) for index in range(20_000)]
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_nhs_number(number) and number.startswith("999") for number in numbers)
    assert numbers[:2] == ["9990000018", "9990000026"]


@pytest.mark.parametrize("index", [-1, 500_000])
def test_out_of_range_indexes_are_refused(index: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        synthetic_nhs_number(index)
