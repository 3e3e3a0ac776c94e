"""The individual number's check digit (個人番号の検査用数字, 総務省令第八十五号 第五条)."""

from __future__ import annotations


def check_digit(first_eleven: str) -> int:
    """The 12th digit for the first 11: weights 2..7 then 2..6 from the right, modulus 11."""
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("need 11 ASCII digits")
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        weight = n + 1 if n <= 6 else n - 5
        total += int(digit) * weight
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid(number: str) -> bool:
    return (
        len(number) == 12
        and number.isascii()
        and number.isdigit()
        and check_digit(number[:11]) == int(number[11])
    )
