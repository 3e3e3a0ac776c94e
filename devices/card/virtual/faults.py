"""Fault switches of a virtual card: each makes it misbehave in one way a real card (or a
resident pulling a card away) can."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Faults:
    # Transport faults, counted in APDUs since the card was made.
    remove_after: int | None = None  # answer this many APDUs, then leave the field
    garbage_sw_at: int | None = None  # the Nth APDU (1-based) is answered with SW 12 34
    short_response_at: int | None = None  # the Nth APDU is answered with a single byte
    # Content faults of the data files.
    corrupt_length: bool = False  # the outer TLV claims more bytes than the file holds
    bad_offsets: bool = False  # the offset table (DF 21) points beside the items
    unknown_tag: bool = False  # an item with a tag the reader does not know
    invalid_text: bool = False  # the name is not valid UTF-8 / JIS X 0208
    impossible_date: bool = False  # a birth date that cannot exist
    bad_sex: bool = False  # a sex code outside 0/1/2/9
    bad_check_digit: bool = False  # the individual number's 12th digit is wrong
    leading_bytes: bool = False  # two bytes before FF 20 (reported on some 2023 cards)
    # The licence's 本籍 file (DF1/EF02) only: one of "corrupt_length", "unknown_tag",
    # "invalid_text", "missing" (no `31` item), "empty" (a file of padding only).
    domicile: str | None = None
