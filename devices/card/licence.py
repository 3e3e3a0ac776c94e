"""Driver's licence IC card (pre-2025 format): name, kana, address, birth date behind PIN 1.

Sequence: SELECT MF → SELECT EF 000A → READ BINARY (is PIN 1 set?) → VERIFY (tries, no data)
→ VERIFY PIN 1 (or `****` when the holder never set one) → SELECT DF1 → SELECT EF 0001 →
READ BINARY. DF1/EF01 is a run of 1-byte tags with BER lengths (tag `1F` occurs, so it is not
BER-TLV); text is bare JIS X 0208, dates are an era digit and YYMMDD.

本籍 (the registered domicile) is not in EF01: it is DF1/EF02, readable only after PIN 1 *and*
PIN 2. It is read only when the caller passes `domicile_pin` (the kiosk does so only for forms
that declare `uses_licence_domicile`), after EF01: SELECT MF → VERIFY P2=82 (tries, no data) →
[confirm the last try] → VERIFY PIN 2 → SELECT DF1 → SELECT EF 0002 → READ BINARY. EF02 is one
item, tag `31`, in the same 1-byte-tag format (see docs/licence.md for what is confirmed and
what is inferred).
"""

from __future__ import annotations

import datetime as dt

from devices.card import apdu, jisx0208, tlv
from devices.card.apdu import Channel
from devices.card.errors import (
    BadLengthError,
    ImpossibleDateError,
    MalformedResponseError,
    NotDriversLicenceError,
    ReadRefusedError,
    UnknownTagError,
)
from devices.card.mynumber import read_whole
from devices.card.pin import ConfirmLastTry, PinProvider, tries_left, verify_pin
from devices.card.transport import Transport
from forms.clock import OfficeClock, office_clock
from forms.era import from_era
from forms.errors import FieldValueError
from forms.record import CardData

DF1_AID = bytes.fromhex("A00000023101") + bytes(10)
EF_PIN_SETTING = 0x000A
EF_DETAILS = 0x0001
EF_DOMICILE = 0x0002
PIN1_REF = 0x81
PIN2_REF = 0x82
UNSET_PIN = b"****"  # PIN 1 when the holder chose none

TAG_NAME = 0x12
TAG_KANA = 0x13
TAG_BIRTH = 0x16
TAG_ADDRESS = 0x17
TAG_DOMICILE = 0x31  # DF1/EF02 本籍 (inferred: see docs/licence.md)
# The standard's tags run from 0x11 to 0x4F (conditions, dates, numbers, external-character
# images); the ones not needed here are skipped. Anything else is a card this code does not know.
_KNOWN_TAGS = range(0x11, 0x50)
ERAS = {"1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和"}


def _select_mf(channel: Channel) -> None:
    if not channel.send(apdu.select_mf(), "select MF").ok:
        raise NotDriversLicenceError()
    if not channel.send(apdu.select_ef(EF_PIN_SETTING), "select PIN setting").ok:
        raise NotDriversLicenceError()


def parse_pin_setting(data: bytes) -> bool:
    """`01` set / `00` unset; also accepts the TLV form `C1 01 xx`."""
    if len(data) >= 3 and data[0] == 0xC1 and data[1] == 0x01:
        data = data[2:3]
    if not data or data[0] not in (0x00, 0x01):
        raise MalformedResponseError("暗証番号設定の値", "PIN setting value")
    return data[0] == 0x01


def parse_era_date(value: bytes, field: str, *, clock: OfficeClock | None = None) -> dt.date:
    """A 7-digit era date (era digit, YYMMDD); a date after the office's today is impossible."""
    if len(value) != 7 or not all(0x30 <= b <= 0x39 for b in value):
        raise ImpossibleDateError(field)
    text = value.decode("ascii")
    era = ERAS.get(text[0])
    if era is None:
        raise ImpossibleDateError(field)
    try:
        day = from_era(era, int(text[1:3]), int(text[3:5]), int(text[5:7]))
    except FieldValueError:
        raise ImpossibleDateError(field) from None
    if day > (clock or office_clock()).today():
        raise ImpossibleDateError(field)
    return day


def parse_details(data: bytes) -> dict[int, bytes]:
    """The items of DF1/EF01 by tag; stops at `00`/`FF` padding."""
    where = "licence details"
    items: dict[int, bytes] = {}
    pos = 0
    while pos < len(data) and data[pos] not in (0x00, 0xFF):
        tag = data[pos]
        if tag not in _KNOWN_TAGS:
            raise UnknownTagError(tag, where)
        length, start = tlv.read_length(data, pos + 1, len(data), where)
        if start + length > len(data):
            raise BadLengthError(f"{where}: tag {tag:X} value runs past the data")
        items.setdefault(tag, data[start : start + length])
        pos = start + length
    return items


def parse_domicile(data: bytes) -> str:
    """DF1/EF02: the `31` item, JIS X 0208 text; anything else there is malformed."""
    items = parse_details(data)
    value = items.get(TAG_DOMICILE)
    if not value:
        raise MalformedResponseError("本籍の欠落", "licence domicile: tag 31 missing or empty")
    text = jisx0208.decode(value, "domicile").strip("\u3000")
    if not text:
        raise MalformedResponseError("本籍が空", "licence domicile: blank")
    return text


def read_tries_left(transport: Transport, pin: int = 1) -> int:
    """Tries left on PIN 1 or PIN 2, spending none."""
    channel = Channel(transport)
    _select_mf(channel)
    return tries_left(channel, PIN2_REF if pin == 2 else PIN1_REF)


def _read_domicile(
    channel: Channel,
    pin2: PinProvider | None,
    confirm_last_try: ConfirmLastTry | None,
    *,
    pin_set: bool,
) -> str:
    """PIN 1 is verified on `channel` already (it is the MF's and survives SELECT DF1)."""
    if not channel.send(apdu.select_mf(), "select MF").ok:
        raise NotDriversLicenceError()
    verify_pin(channel, PIN2_REF, pin2, confirm_last_try, fixed_pin=None if pin_set else UNSET_PIN)
    if not channel.send(apdu.select_aid(DF1_AID), "select DF1").ok:
        raise NotDriversLicenceError()
    if not channel.send(apdu.select_ef(EF_DOMICILE), "select domicile").ok:
        raise ReadRefusedError("domicile")
    return parse_domicile(read_whole(channel, "domicile", None))


def _verify_pin1(
    channel: Channel, pin: PinProvider | None, confirm_last_try: ConfirmLastTry | None
) -> bool:
    """SELECT MF, read the PIN-set flag, VERIFY PIN 1; returns whether the holder set PINs."""
    _select_mf(channel)
    setting = channel.send(apdu.read_binary(0), "read PIN setting")
    if not setting.ok:
        raise ReadRefusedError("PIN setting")
    pin_set = parse_pin_setting(setting.data)
    verify_pin(channel, PIN1_REF, pin, confirm_last_try, fixed_pin=None if pin_set else UNSET_PIN)
    return pin_set


def read_domicile(
    transport: Transport,
    pin1: PinProvider | None,
    pin2: PinProvider | None,
    *,
    confirm_last_try: ConfirmLastTry | None = None,
    confirm_last_try2: ConfirmLastTry | None = None,
) -> str:
    """Only 本籍 (for a resident who identified with the My Number Card): PIN 1, then PIN 2.

    Each PIN is asked only right before its own VERIFY, after its tries were read; neither
    provider is called when the holder never set PINs. `confirm_last_try2` (default: the
    same as `confirm_last_try`) confirms PIN 2's last try on its own.
    """
    channel = Channel(transport)
    pin_set = _verify_pin1(channel, pin1, confirm_last_try)
    confirm2 = confirm_last_try2 if confirm_last_try2 is not None else confirm_last_try
    return _read_domicile(channel, pin2, confirm2, pin_set=pin_set)


def read_licence_tries(transport: Transport) -> tuple[int, int]:
    """(PIN 1, PIN 2) tries left, spending none; Pin(2)BlockedError when either is at 0."""
    channel = Channel(transport)
    _select_mf(channel)
    return tries_left(channel, PIN1_REF), tries_left(channel, PIN2_REF)


def read_licence(
    transport: Transport,
    pin: PinProvider | None,
    *,
    confirm_last_try: ConfirmLastTry | None = None,
    clock: OfficeClock | None = None,
    domicile_pin: PinProvider | None = None,
) -> CardData:
    """Name, kana, address and birth date; `pin` is not called when PIN 1 was never set.

    With `domicile_pin` (PIN 2's provider) 本籍 is read too, into `CardData.domicile`; a PIN 2
    failure (wrong, blocked, last try unconfirmed) then fails the whole read, so the caller
    can ask again or let the resident type 本籍 and read without it.
    """
    channel = Channel(transport)
    pin_set = _verify_pin1(channel, pin, confirm_last_try)
    if not channel.send(apdu.select_aid(DF1_AID), "select DF1").ok:
        raise NotDriversLicenceError()
    if not channel.send(apdu.select_ef(EF_DETAILS), "select details").ok:
        raise ReadRefusedError("details")
    items = parse_details(read_whole(channel, "details", None))
    for tag in (TAG_NAME, TAG_BIRTH, TAG_ADDRESS):
        if tag not in items:
            raise MalformedResponseError("項目の欠落", f"licence details: tag {tag:X} missing")
    kana = items.get(TAG_KANA)
    domicile = None
    if domicile_pin is not None:
        domicile = _read_domicile(channel, domicile_pin, confirm_last_try, pin_set=pin_set)
    return CardData(
        kind="drivers_licence",
        name=jisx0208.decode(items[TAG_NAME], "name"),
        kana=jisx0208.decode(kana, "kana") if kana else "",
        address=jisx0208.decode(items[TAG_ADDRESS], "address"),
        birth_date=parse_era_date(items[TAG_BIRTH], "birth date", clock=clock),
        domicile=domicile,
    )
