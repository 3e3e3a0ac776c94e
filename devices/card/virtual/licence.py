"""A virtual driver's licence IC card: MF with EF 000A, PIN 1 and PIN 2, DF1/EF01 and EF02.

EF01 (the printed details) needs PIN 1; EF02 (本籍) needs PIN 1 and PIN 2. Both PINs are the
MF's: verified states survive SELECT DF1 and are lost on power-off or reset.
"""

from __future__ import annotations

from devices.card import jisx0208
from devices.card.licence import (
    DF1_AID,
    EF_DETAILS,
    EF_DOMICILE,
    EF_PIN_SETTING,
    PIN1_REF,
    PIN2_REF,
    TAG_ADDRESS,
    TAG_BIRTH,
    TAG_DOMICILE,
    TAG_KANA,
    TAG_NAME,
    UNSET_PIN,
)
from devices.card.tlv import encode_length
from devices.card.virtual.card import Command, PinCounter, VirtualCard, sw
from devices.card.virtual.faults import Faults
from devices.card.virtual.profile import ResidentProfile
from forms.era import era_year

_ERA_DIGITS = {"明治": "1", "大正": "2", "昭和": "3", "平成": "4", "令和": "5"}


def _item(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + encode_length(len(value)) + value


def details_file(profile: ResidentProfile, faults: Faults) -> bytes:
    era, year = era_year(profile.birth_date)
    birth = f"{_ERA_DIGITS[era.name]}{year:02d}{profile.birth_date:%m%d}".encode("ascii")
    if faults.impossible_date:
        birth = b"4010107"  # 平成元年1月7日: the last day of 昭和, not a day of 平成
    name = jisx0208.encode(profile.name)
    if faults.invalid_text:
        name = b"\x1b\x28" + name
    address = jisx0208.encode(profile.address)
    items = [
        _item(0x11, b"008"),  # JIS X 0208 edition of the text
        _item(TAG_NAME, name),
        _item(TAG_KANA, jisx0208.encode(profile.kana or profile.name)),
        _item(TAG_BIRTH, birth),
        _item(TAG_ADDRESS, address),
        _item(0x1B, b"5100101"),  # expiry 令和10年1月1日
        _item(0x21, b"990000000000"),  # licence number (obviously not real)
    ]
    if faults.unknown_tag:
        items.insert(1, _item(0x99, b"\x00"))
    if faults.corrupt_length:
        items[4] = bytes([TAG_ADDRESS]) + encode_length(len(address) + 300) + address
        items = items[:5]
    return b"".join(items) + b"\xff" * 16


def domicile_file(profile: ResidentProfile, faults: Faults) -> bytes:
    value = jisx0208.encode(profile.domicile)
    match faults.domicile:
        case "corrupt_length":
            item = bytes([TAG_DOMICILE]) + encode_length(len(value) + 200) + value
        case "unknown_tag":
            item = _item(0x99, value)
        case "invalid_text":
            item = _item(TAG_DOMICILE, b"\x1b\x24\x42" + value)
        case "missing":
            item = _item(0x11, b"008")
        case "empty":
            item = b""
        case _:
            item = _item(TAG_DOMICILE, value)
    return item + b"\xff" * 8


class VirtualLicence(VirtualCard):
    label = "virtual driver's licence"

    def __init__(
        self,
        profile: ResidentProfile,
        faults: Faults | None = None,
        *,
        tries: int = 3,
        tries2: int | None = None,
    ) -> None:
        super().__init__(faults)
        self.profile = profile
        self.pin_set = profile.licence_pin is not None
        secret = profile.licence_pin.encode("ascii") if profile.licence_pin else UNSET_PIN
        self.pin1 = PinCounter(secret, tries)
        secret2 = profile.licence_pin2.encode("ascii") if profile.licence_pin else UNSET_PIN
        self.pin2 = PinCounter(secret2, tries2 if tries2 is not None else 3)
        self._details = details_file(profile, self.faults)
        self._domicile = domicile_file(profile, self.faults)
        self.reset_volatile()

    def __repr__(self) -> str:
        return f"VirtualLicence({self.profile!r}, {self.pin1!r}, {self.pin2!r})"

    def reset_volatile(self) -> None:
        self.df: str = "MF"
        self.ef: int | None = None
        self.verified = False
        self.verified2 = False

    def _select(self, c: Command) -> bytes:
        if c.p1 == 0x00 and c.data in (b"", b"\x3f\x00"):
            self.df, self.ef = "MF", None
            return sw(0x9000)
        if c.p1 == 0x04:
            if c.data == DF1_AID:
                self.df, self.ef = "DF1", None  # PIN 1 is the MF's: it stays verified
                return sw(0x9000)
            return sw(0x6A82)
        if c.p1 == 0x02 and len(c.data) == 2:
            fid = int.from_bytes(c.data, "big")
            if (self.df, fid) in (
                ("MF", EF_PIN_SETTING),
                ("MF", 0x2F01),
                ("DF1", EF_DETAILS),
                ("DF1", EF_DOMICILE),
            ):
                self.ef = fid
                return sw(0x9000)
        return sw(0x6A82)

    def _verify(self, c: Command) -> bytes:
        if c.p2 not in (PIN1_REF, PIN2_REF):
            return sw(0x6A88)
        if c.p2 == PIN2_REF:
            if not c.data:
                return self.pin2.status(self.verified2)
            self.verified2, answer = self.pin2.verify(c.data)
            return answer
        return self.verify_pin(self.pin1, c)

    def _read(self, c: Command) -> bytes:
        if self.df == "MF" and self.ef == EF_PIN_SETTING:
            return self.read_binary(b"\x01" if self.pin_set else b"\x00", c)
        if self.df == "MF" and self.ef == 0x2F01:
            return self.read_binary(bytes(17), c)
        if self.df == "DF1" and self.ef == EF_DETAILS:
            if not self.verified:
                return sw(0x6982)
            return self.read_binary(self._details, c)
        if self.df == "DF1" and self.ef == EF_DOMICILE:
            if not (self.verified and self.verified2):
                return sw(0x6982)
            return self.read_binary(self._domicile, c)
        return sw(0x6986)
