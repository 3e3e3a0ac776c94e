"""BER-TLV (ISO/IEC 8825-1 as used by ISO 7816-4), parsed in full and never trusted.

Tags may span several bytes (`FF 20`, `DF 21`); lengths may be short (`< 80`) or long
(`81 xx`, `82 xx xx`, `83 xx xx xx`). Every length is checked against the bytes present;
the indefinite form (`80`) does not occur on these cards and is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from devices.card.errors import BadLengthError


@dataclass(frozen=True)
class Tlv:
    tag: int
    offset: int  # where the tag starts, in the buffer given to the parser
    value_offset: int
    length: int

    @property
    def end(self) -> int:
        return self.value_offset + self.length

    def value(self, buffer: bytes) -> bytes:
        return buffer[self.value_offset : self.end]


def read_tag(buffer: bytes, pos: int, end: int, where: str) -> tuple[int, int]:
    """The tag at `pos` and the position after it."""
    if pos >= end:
        raise BadLengthError(f"{where}: tag runs past the data")
    first = buffer[pos]
    tag = first
    pos += 1
    if first & 0x1F == 0x1F:  # high tag number: more bytes while bit 8 is set
        while True:
            if pos >= end:
                raise BadLengthError(f"{where}: tag runs past the data")
            byte = buffer[pos]
            tag = (tag << 8) | byte
            pos += 1
            if not byte & 0x80:
                break
            if tag > 0xFFFFFF:
                raise BadLengthError(f"{where}: tag longer than 3 bytes")
    return tag, pos


def read_length(buffer: bytes, pos: int, end: int, where: str) -> tuple[int, int]:
    """The length at `pos` and the position after it."""
    if pos >= end:
        raise BadLengthError(f"{where}: length runs past the data")
    first = buffer[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    count = first & 0x7F
    if count == 0:
        raise BadLengthError(f"{where}: indefinite length")
    if count > 3:
        raise BadLengthError(f"{where}: length of {count} bytes")
    if pos + count > end:
        raise BadLengthError(f"{where}: length runs past the data")
    return int.from_bytes(buffer[pos : pos + count], "big"), pos + count


def read_tlv(buffer: bytes, pos: int, end: int, where: str) -> Tlv:
    tag, after_tag = read_tag(buffer, pos, end, where)
    length, value_offset = read_length(buffer, after_tag, end, where)
    if value_offset + length > end:
        raise BadLengthError(f"{where}: tag {tag:X} value runs past the data")
    return Tlv(tag, pos, value_offset, length)


def iter_tlv(buffer: bytes, start: int, end: int, where: str) -> Iterator[Tlv]:
    """The TLVs laid end to end in `buffer[start:end]`."""
    if end > len(buffer):
        raise BadLengthError(f"{where}: range runs past the data")
    pos = start
    while pos < end:
        item = read_tlv(buffer, pos, end, where)
        yield item
        pos = item.end


def needed_length(buffer: bytes, pos: int) -> int | None:
    """How many bytes the TLV at `pos` spans in total, or None if its header is incomplete."""
    try:
        _, after_tag = read_tag(buffer, pos, len(buffer), "header")
        length, value_offset = read_length(buffer, after_tag, len(buffer), "header")
    except BadLengthError:
        return None
    return value_offset + length - pos


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    for count in (1, 2, 3):
        if length < 1 << (8 * count):
            return bytes([0x80 | count]) + length.to_bytes(count, "big")
    raise ValueError("TLV value too long")


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value
