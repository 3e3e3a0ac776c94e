"""The individual number's check digit (個人番号の検査用数字, 総務省令第八十五号 第五条).

The rule itself lives in the domain (`forms.fields.individual_number_check_digit`); the card
reader only adds the strict ASCII checks a card's bytes must pass.
"""

from __future__ import annotations

from forms.fields import individual_number_check_digit


def check_digit(first_eleven: str) -> int:
    """The 12th digit for the first 11: weights 2..7 then 2..6 from the right, modulus 11."""
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("need 11 ASCII digits")
    return individual_number_check_digit(first_eleven)


def is_valid(number: str) -> bool:
    return (
        len(number) == 12
        and number.isascii()
        and number.isdigit()
        and check_digit(number[:11]) == int(number[11])
    )
