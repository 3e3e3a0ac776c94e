"""My Number Card, input-assist AP (券面事項入力補助AP): the basic four and the number.

The sequence, fewest APDUs first (see docs/cards.md):
SELECT AP → SELECT EF 0011 → VERIFY (tries, no data) → VERIFY PIN → [SELECT EF 0001 →
READ BINARY] → SELECT EF 0002 → READ BINARY (Le=00, the whole file in one go).
Nothing is returned, and nothing reaches the session record, unless every step succeeded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from devices.card import apdu, tlv
from devices.card.apdu import Channel
from devices.card.errors import (
    BadCheckDigitError,
    BadLengthError,
    BadSexCodeError,
    ImpossibleDateError,
    InvalidTextError,
    MalformedResponseError,
    NotMyNumberCardError,
    ReadRefusedError,
    UnexpectedStatusError,
    UnknownTagError,
)
from devices.card.individual_number import is_valid
from devices.card.pin import ConfirmLastTry, PinProvider, tries_left, verify_pin
from devices.card.transport import Transport
from forms.clock import OfficeClock, office_clock
from forms.record import CardData, Sex

INPUT_ASSIST_AID = bytes.fromhex("D3921000310001010408")
EF_PIN = 0x0011
EF_NUMBER = 0x0001
EF_BASIC_FOUR = 0x0002
PIN_REF = 0x80

TAG_BASIC_FOUR = 0xFF20
TAG_OFFSETS = 0xDF21
TAG_NAME = 0xDF22
TAG_ADDRESS = 0xDF23
TAG_BIRTH = 0xDF24
TAG_SEX = 0xDF25
TAG_NUMBER = 0xFF10

# Bytes allowed before the outer tag (some 2023 cards reportedly carry two; allow a few more).
_MAX_LEADING = 16
_CHUNK = 256
_MAX_FILE = 4096


@dataclass(frozen=True)
class BasicFour:
    name: str
    address: str
    birth_date: dt.date
    sex: Sex

    def __repr__(self) -> str:
        return "BasicFour(…)"


def _select_ap(channel: Channel) -> None:
    if not channel.send(apdu.select_aid(INPUT_ASSIST_AID), "select AP").ok:
        raise NotMyNumberCardError()


def select_ef(channel: Channel, fid: int, what: str) -> None:
    response = channel.send(apdu.select_ef(fid), f"select {what}")
    if not response.ok:
        raise ReadRefusedError(what)


def read_whole(channel: Channel, what: str, outer_tag: bytes | None) -> bytes:
    """READ BINARY from offset 0 until the outer TLV (if given) is complete or the file ends.

    One APDU when the file fits in 256 bytes, which every real card's does.
    """
    data = bytearray()
    while True:
        response = channel.send(apdu.read_binary(len(data)), f"read {what}")
        if response.sw == apdu.SW_WRONG_OFFSET and data:
            break  # the file ended exactly at a chunk boundary
        if response.sw >> 8 in (0x69, 0x6A):
            raise ReadRefusedError(what)
        if response.sw not in (apdu.SW_OK, apdu.SW_END_OF_FILE):
            raise UnexpectedStatusError(f"read {what}", response.sw)
        data.extend(response.data)
        if len(response.data) < _CHUNK or response.sw == apdu.SW_END_OF_FILE:
            break
        if outer_tag is not None and _complete(bytes(data), outer_tag):
            break
        if len(data) >= _MAX_FILE:
            raise BadLengthError(f"{what}: file longer than {_MAX_FILE} bytes")
    return bytes(data)


def _complete(data: bytes, outer_tag: bytes) -> bool:
    pos = data.find(outer_tag, 0, _MAX_LEADING + len(outer_tag))
    if pos < 0:
        return True  # cannot tell: stop and let the parser say what is wrong
    needed = tlv.needed_length(data, pos)
    return needed is not None and pos + needed <= len(data)


def _find_outer(data: bytes, tag: bytes, what: str) -> tlv.Tlv:
    pos = data.find(tag, 0, _MAX_LEADING + len(tag))
    if pos < 0:
        if not data:
            raise BadLengthError(f"{what}: empty file")
        first, _ = tlv.read_tag(data, 0, len(data), what)
        raise UnknownTagError(first, what)
    return tlv.read_tlv(data, pos, len(data), what)


def _utf8(value: bytes, field: str) -> str:
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidTextError(field, "UTF-8") from None
    if not text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise InvalidTextError(field, "text")
    return text


def parse_birth_date(
    value: bytes, field: str = "birth date", *, clock: OfficeClock | None = None
) -> dt.date:
    """YYYYMMDD; a date after the office's today is impossible."""
    if len(value) != 8 or not all(0x30 <= b <= 0x39 for b in value):
        raise ImpossibleDateError(field)
    text = value.decode("ascii")
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ImpossibleDateError(field) from None
    if day.year < 1868 or day > (clock or office_clock()).today():
        raise ImpossibleDateError(field)
    return day


def parse_sex(value: bytes) -> Sex:
    if len(value) != 1 or value not in (b"0", b"1", b"2", b"9"):
        raise BadSexCodeError()
    return Sex.from_code(value.decode("ascii"))


_ITEM_TAGS = (TAG_NAME, TAG_ADDRESS, TAG_BIRTH, TAG_SEX)


def parse_basic_four(data: bytes, *, clock: OfficeClock | None = None) -> BasicFour:
    """EF 0002: `FF 20 LL { DF 21 08 offsets, DF 22 name, DF 23 address, DF 24 birth, DF 25 sex }`."""
    where = "basic four"
    outer = _find_outer(data, b"\xff\x20", where)
    items: dict[int, tlv.Tlv] = {}
    for item in tlv.iter_tlv(data, outer.value_offset, outer.end, where):
        if item.tag not in (TAG_OFFSETS, *_ITEM_TAGS):
            raise UnknownTagError(item.tag, where)
        if item.tag in items:
            raise MalformedResponseError("項目の重複", f"{where}: tag {item.tag:X} twice")
        items[item.tag] = item
    missing = [t for t in (TAG_OFFSETS, *_ITEM_TAGS) if t not in items]
    if missing:
        raise MalformedResponseError("項目の欠落", f"{where}: tag {missing[0]:X} missing")
    _check_offsets(data, outer, items, where)
    return BasicFour(
        name=_utf8(items[TAG_NAME].value(data), "name"),
        address=_utf8(items[TAG_ADDRESS].value(data), "address"),
        birth_date=parse_birth_date(items[TAG_BIRTH].value(data), clock=clock),
        sex=parse_sex(items[TAG_SEX].value(data)),
    )


def _check_offsets(data: bytes, outer: tlv.Tlv, items: dict[int, tlv.Tlv], where: str) -> None:
    """DF 21 holds four 2-byte offsets of the next four TLVs, from the start of the file.

    They are checked, not followed: each must land inside the data on the tag it names.
    Counted from the outer tag instead of the file start is accepted too, for cards with
    bytes before `FF 20`.
    """
    table = items[TAG_OFFSETS].value(data)
    if len(table) != 8:
        raise BadLengthError(f"{where}: offset table of {len(table)} bytes")
    offsets = [int.from_bytes(table[i : i + 2], "big") for i in range(0, 8, 2)]
    actual = [items[t].offset for t in _ITEM_TAGS]
    for base in dict.fromkeys((0, outer.offset)):
        if all(o + base < len(data) for o in offsets) and [o + base for o in offsets] == actual:
            return
    raise BadLengthError(f"{where}: offset table disagrees with the data")


def parse_individual_number(data: bytes) -> str:
    """EF 0001: `FF 10 0C` + 12 ASCII digits (then `FF FF` padding)."""
    where = "individual number"
    outer = _find_outer(data, b"\xff\x10", where)
    value = outer.value(data)
    if len(value) != 12:
        raise BadLengthError(f"{where}: {len(value)} bytes")
    if not all(0x30 <= b <= 0x39 for b in value):
        raise InvalidTextError(where, "digits")
    number = value.decode("ascii")
    if not is_valid(number):
        raise BadCheckDigitError()
    return number


def read_tries_left(transport: Transport) -> int:
    """Tries left on the input-assist PIN, spending none (for the PIN prompt)."""
    channel = Channel(transport)
    _select_ap(channel)
    select_ef(channel, EF_PIN, "PIN")
    return tries_left(channel, PIN_REF)


def read_my_number(
    transport: Transport,
    pin: PinProvider | None,
    *,
    confirm_last_try: ConfirmLastTry | None = None,
    individual_number: bool = False,
    clock: OfficeClock | None = None,
) -> CardData:
    """Read the basic four (and the individual number only if asked) from a My Number Card.

    `pin(tries_left)` is called once, right before the VERIFY; with one try left
    `confirm_last_try()` is called first and must return True.
    """
    channel = Channel(transport)
    _select_ap(channel)
    select_ef(channel, EF_PIN, "PIN")
    verify_pin(channel, PIN_REF, pin, confirm_last_try)
    number = None
    if individual_number:
        select_ef(channel, EF_NUMBER, "individual number")
        number = parse_individual_number(read_whole(channel, "individual number", b"\xff\x10"))
    select_ef(channel, EF_BASIC_FOUR, "basic four")
    four = parse_basic_four(read_whole(channel, "basic four", b"\xff\x20"), clock=clock)
    return CardData(
        kind="my_number",
        name=four.name,
        address=four.address,
        birth_date=four.birth_date,
        sex=four.sex,
        individual_number=number,
    )
