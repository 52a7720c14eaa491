"""NHS numbers for synthetic patients: ten digits whose last is the Modulus 11 check digit of the first nine.

The numbers are drawn from the 999 range, which NHS Digital keeps for test data and never issues
to a real patient, and are numbered so patient ``n`` always gets the same one.
"""

from __future__ import annotations

__all__ = ["check_digit", "is_valid_nhs_number", "synthetic_nhs_number"]

_FIRST = 999_000_000


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit of nine digits, or None when there is none (the remainder gives 10)."""
    total = sum(int(digit) * (10 - position) for position, digit in enumerate(first_nine))
    digit = (11 - total % 11) % 11
    return None if digit == 10 else digit


def is_valid_nhs_number(number: str) -> bool:
    """True if ``number`` is ten digits whose last is the check digit of the first nine."""
    return len(number) == 10 and number.isdigit() and check_digit(number[:9]) == int(number[9])


def synthetic_nhs_number(index: int) -> str:
    """The NHS number of synthetic patient ``index`` (0 ≤ index < 500,000): valid, in the 999 range, unique.

    Patient ``n`` takes the nine digits ``999000000 + 2n``, or the next ones when those have no
    check digit; two neighbouring nine-digit numbers never both lack one, so no two patients share.
    """
    if not 0 <= index < 500_000:
        raise ValueError(f"synthetic patient index {index} is out of range")
    first_nine = str(_FIRST + 2 * index)
    digit = check_digit(first_nine)
    if digit is None:
        first_nine = str(_FIRST + 2 * index + 1)
        digit = check_digit(first_nine)
    assert digit is not None  # adding 1 changes the weighted sum by 2, so the remainder cannot stay at 1
    return f"{first_nine}{digit}"
