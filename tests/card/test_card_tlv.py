"""BER-TLV parsing, the check digit and JIS X 0208: the byte-level pieces."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card import jisx0208, tlv
from devices.card.errors import BadLengthError, InvalidTextError
from devices.card.individual_number import check_digit, is_valid


@pytest.mark.parametrize(
    ("encoded", "length", "header"),
    [
        (b"\xdf\x22\x05", 5, 3),
        (b"\xdf\x22\x81\x80", 0x80, 4),
        (b"\xdf\x22\x82\x01\x2c", 300, 5),
        (b"\xdf\x22\x83\x00\x01\x00", 256, 6),
    ],
)
def test_long_length_forms(encoded: bytes, length: int, header: int) -> None:
    data = encoded + bytes(length)
    item = tlv.read_tlv(data, 0, len(data), "t")
    assert (item.tag, item.length, item.value_offset, item.end) == (
        0xDF22,
        length,
        header,
        len(data),
    )


@pytest.mark.parametrize(
    "data",
    [
        b"\xdf\x22\x05abcd",  # value one byte short
        b"\xdf\x22\x82\x01",  # long length cut off
        b"\xdf\x22\x80abc",  # indefinite length
        b"\xdf\x22\x84\x00\x00\x00\x01a",  # 4-byte length
        b"\xdf",  # tag cut off
        b"\xff\x20\x81",  # length byte missing
    ],
)
def test_lengths_past_the_data_are_refused(data: bytes) -> None:
    with pytest.raises(BadLengthError):
        list(tlv.iter_tlv(data, 0, len(data), "t"))


def test_iter_tlv_refuses_a_range_past_the_buffer() -> None:
    with pytest.raises(BadLengthError):
        list(tlv.iter_tlv(b"\x01\x00", 0, 5, "t"))


@given(
    st.lists(
        st.tuples(st.sampled_from([0x01, 0xDF22, 0xFF20, 0x9F7F]), st.binary(max_size=400)),
        max_size=5,
    )
)
@settings(max_examples=100, deadline=None)
def test_encode_then_parse_round_trips(items: list[tuple[int, bytes]]) -> None:
    data = b"".join(tlv.encode(tag, value) for tag, value in items)
    parsed = list(tlv.iter_tlv(data, 0, len(data), "t"))
    assert [(p.tag, p.value(data)) for p in parsed] == items


@given(st.binary(max_size=64))
def test_parser_raises_only_bad_length_on_garbage(data: bytes) -> None:
    with contextlib.suppress(BadLengthError):
        list(tlv.iter_tlv(data, 0, len(data), "t"))


def test_check_digit_of_known_numbers() -> None:
    assert check_digit("12345678901") == 8
    assert is_valid("123456789018")
    assert not is_valid("123456789017")
    assert not is_valid("12345678901")
    assert not is_valid("１２３４５６７８９０１８")  # full-width digits are not digits here


def _weighted_remainder(first_eleven: str) -> int:
    weights = [n + 1 if n <= 6 else n - 5 for n in range(1, 12)]
    return sum(int(d) * w for d, w in zip(reversed(first_eleven), weights, strict=True)) % 11


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 11))
def test_any_single_digit_change_is_caught(base: str, where: int) -> None:
    """Modulus 11 catches every single-digit change, except where the weighted sum moves
    between remainders 0 and 1, which the rule maps to the same check digit 0."""
    number = base + str(check_digit(base))
    changed = number[:where] + str((int(number[where]) + 1) % 10) + number[where + 1 :]
    assert is_valid(number)
    both_zero_class = where < 11 and {
        _weighted_remainder(number[:11]),
        _weighted_remainder(changed[:11]),
    } <= {0, 1}
    assert is_valid(changed) == both_zero_class


def test_jis_round_trip_and_substitute() -> None:
    assert jisx0208.decode(jisx0208.encode("山田　太郎"), "name") == "山田　太郎"
    assert jisx0208.decode(jisx0208.encode("山﨑 𠮷"), "name") == "山〓　〓"
    assert jisx0208.decode(jisx0208.encode("SMITH"), "name") == "ＳＭＩＴＨ"


@pytest.mark.parametrize("raw", [b"", b"\x30", b"\x1b\x28\x42\x41", b"\x30\x80", b"\x2f\x21"])
def test_jis_refuses_non_pairs_escapes_and_unassigned(raw: bytes) -> None:
    with pytest.raises(InvalidTextError):
        jisx0208.decode(raw, "name")
