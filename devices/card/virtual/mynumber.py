"""A virtual My Number Card: the input-assist AP with EF 0011 (PIN), 0001, 0002."""

from __future__ import annotations

from devices.card import tlv
from devices.card.mynumber import (
    EF_BASIC_FOUR,
    EF_NUMBER,
    EF_PIN,
    INPUT_ASSIST_AID,
    PIN_REF,
    TAG_ADDRESS,
    TAG_BASIC_FOUR,
    TAG_BIRTH,
    TAG_NAME,
    TAG_NUMBER,
    TAG_OFFSETS,
    TAG_SEX,
)
from devices.card.virtual.card import Command, PinCounter, VirtualCard, sw
from devices.card.virtual.faults import Faults
from devices.card.virtual.profile import ResidentProfile

OTHER_AIDS = {
    bytes.fromhex("D3921000310001010402"),  # 券面事項確認AP
    bytes.fromhex("D392F000260100000001"),  # JPKI-AP
}
_SEX_CODES = {"male": "1", "female": "2", "not_applicable": "9", "unknown": "0"}


def basic_four_file(profile: ResidentProfile, faults: Faults) -> bytes:
    name = profile.name.encode("utf-8")
    if faults.invalid_text:
        name = b"\xc3\x28" + name  # a broken two-byte sequence
    birth = profile.birth_date.strftime("%Y%m%d").encode("ascii")
    if faults.impossible_date:
        birth = b"19890230"
    sex = _SEX_CODES[profile.sex.value].encode("ascii")
    if faults.bad_sex:
        sex = b"7"
    items = [
        tlv.encode(TAG_NAME, name),
        tlv.encode(TAG_ADDRESS, profile.address.encode("utf-8")),
        tlv.encode(TAG_BIRTH, birth),
        tlv.encode(TAG_SEX, sex),
    ]
    if faults.unknown_tag:
        items[3] = tlv.encode(0xDF2F, sex)  # the sex item under a tag no card uses
    table_size = 3 + 8
    body_size = table_size + sum(len(i) for i in items)
    prefix = b"\x00\x00" if faults.leading_bytes else b""
    header = tlv.encode_tag(TAG_BASIC_FOUR) + tlv.encode_length(body_size)
    position = len(prefix) + len(header) + table_size
    offsets = b""
    for item in items:
        offsets += position.to_bytes(2, "big")
        position += len(item)
    if faults.bad_offsets:
        offsets = (
            offsets[:2]
            + (int.from_bytes(offsets[2:4], "big") + 1).to_bytes(2, "big")
            + (offsets[4:])
        )
    body = tlv.encode(TAG_OFFSETS, offsets) + b"".join(items)
    if faults.corrupt_length:
        header = tlv.encode_tag(TAG_BASIC_FOUR) + tlv.encode_length(body_size + 40)
    return prefix + header + body


def number_file(profile: ResidentProfile, faults: Faults) -> bytes:
    digits = profile.individual_number
    if faults.bad_check_digit:
        digits = digits[:11] + str((int(digits[11]) + 1) % 10)
    return tlv.encode(TAG_NUMBER, digits.encode("ascii")) + b"\xff\xff"


class VirtualMyNumberCard(VirtualCard):
    label = "virtual My Number Card"

    def __init__(
        self, profile: ResidentProfile, faults: Faults | None = None, *, tries: int = 3
    ) -> None:
        super().__init__(faults)
        self.profile = profile
        self.pin = PinCounter(profile.pin.encode("ascii"), tries)
        self._files = {
            EF_BASIC_FOUR: basic_four_file(profile, self.faults),
            EF_NUMBER: number_file(profile, self.faults),
        }
        self.reset_volatile()

    def __repr__(self) -> str:
        return f"VirtualMyNumberCard({self.profile!r}, {self.pin!r})"

    def reset_volatile(self) -> None:
        self.application: bytes | None = None
        self.ef: int | None = None
        self.verified = False

    def _select(self, c: Command) -> bytes:
        if c.p1 == 0x04:
            if c.data == INPUT_ASSIST_AID or c.data in OTHER_AIDS:
                self.application, self.ef, self.verified = c.data, None, False
                return sw(0x9000)
            return sw(0x6A82)
        if c.p1 == 0x00:  # MF
            self.application, self.ef, self.verified = None, None, False
            return sw(0x9000)
        if c.p1 == 0x02 and len(c.data) == 2 and self.application == INPUT_ASSIST_AID:
            fid = int.from_bytes(c.data, "big")
            if fid in (EF_PIN, EF_NUMBER, EF_BASIC_FOUR):
                self.ef = fid
                return sw(0x9000)
        return sw(0x6A82)

    def _verify(self, c: Command) -> bytes:
        if self.application != INPUT_ASSIST_AID or c.p2 != PIN_REF or self.ef != EF_PIN:
            return sw(0x6A88)
        return self.verify_pin(self.pin, c)

    def _read(self, c: Command) -> bytes:
        if self.ef not in self._files:
            return sw(0x6986)  # no current EF
        if not self.verified:
            return sw(0x6982)
        return self.read_binary(self._files[self.ef], c)
