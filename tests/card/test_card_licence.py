"""Driver's licence reads against the in-process virtual card."""

from __future__ import annotations

import datetime as dt

import pytest
from cardkit import all_profiles, profile

from devices.card.errors import (
    BadLengthError,
    CardRemovedError,
    ImpossibleDateError,
    InvalidTextError,
    LastTryUnconfirmedError,
    NotDriversLicenceError,
    PinBlockedError,
    UnknownTagError,
    WrongPinError,
)
from devices.card.licence import parse_era_date, read_licence
from devices.card.virtual import Faults, InProcessTransport, VirtualLicence, VirtualMyNumberCard


def as_licence_prints(text: str) -> str:
    """What JIS X 0208 can hold: ASCII in full width, rare kanji as 〓."""
    table = {ord(" "): "\u3000", **{c: chr(c + 0xFEE0) for c in range(0x21, 0x7F)}}
    return text.translate(table).translate({ord(c): "〓" for c in "𠮷髙﨑"})


@pytest.mark.parametrize("resident", all_profiles(), ids=lambda p: p.label)
def test_full_read(resident) -> None:
    card = VirtualLicence(resident)
    data = read_licence(InProcessTransport(card), lambda t: resident.licence_pin)
    assert data.kind == "drivers_licence"
    assert data.birth_date == resident.birth_date
    assert data.sex is None and data.individual_number is None
    assert data.name == as_licence_prints(resident.name)
    assert data.address == resident.address
    assert data.kana == resident.kana


def test_rare_kanji_become_the_substitute_mark() -> None:
    resident = profile("yoshino-takako")
    data = read_licence(InProcessTransport(VirtualLicence(resident)), lambda t: "1234")
    assert data.name == "〓野　〓子"


def test_pin_not_set_reads_without_asking() -> None:
    resident = profile("yamasaki-taro")
    assert resident.licence_pin is None
    card = VirtualLicence(resident)
    data = read_licence(InProcessTransport(card), lambda t: pytest.fail("PIN asked"))
    assert data.name == "山〓　太郎" and card.pin1.tries == 3


def test_wrong_pin_and_blocked() -> None:
    resident = profile("smith-john")
    card = VirtualLicence(resident)
    with pytest.raises(WrongPinError) as caught:
        read_licence(InProcessTransport(card), lambda t: "0000")
    assert caught.value.tries_left == 2 == card.pin1.tries
    with pytest.raises(WrongPinError):
        read_licence(InProcessTransport(card), lambda t: "0000")
    with pytest.raises(LastTryUnconfirmedError):
        read_licence(InProcessTransport(card), lambda t: "0000")
    with pytest.raises(PinBlockedError):
        read_licence(InProcessTransport(card), lambda t: "0000", confirm_last_try=lambda: True)
    verifies = sum(1 for s in card.history if s.ins == 0x20 and s.has_data)
    with pytest.raises(PinBlockedError):
        read_licence(InProcessTransport(card), lambda t: resident.licence_pin)
    assert sum(1 for s in card.history if s.ins == 0x20 and s.has_data) == verifies == 3


def test_a_my_number_card_is_not_a_licence() -> None:
    with pytest.raises(NotDriversLicenceError):
        read_licence(InProcessTransport(VirtualMyNumberCard(profile("smith-john"))), lambda t: "1")


@pytest.mark.parametrize("after", range(8))
def test_removal_at_every_apdu(after: int) -> None:
    resident = profile("smith-john")
    card = VirtualLicence(resident, Faults(remove_after=after))
    with pytest.raises(CardRemovedError):
        read_licence(InProcessTransport(card), lambda t: resident.licence_pin)


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        (Faults(corrupt_length=True), BadLengthError),
        (Faults(unknown_tag=True), UnknownTagError),
        (Faults(invalid_text=True), InvalidTextError),
        (Faults(impossible_date=True), ImpossibleDateError),
    ],
)
def test_malformed_details(faults: Faults, error: type) -> None:
    resident = profile("smith-john")
    with pytest.raises(error):
        read_licence(InProcessTransport(VirtualLicence(resident, faults)), lambda t: "1357")


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        (b"3640107", dt.date(1989, 1, 7)),
        (b"4010108", dt.date(1989, 1, 8)),
        (b"4310430", dt.date(2019, 4, 30)),
        (b"5010501", dt.date(2019, 5, 1)),
    ],
)
def test_era_dates_across_the_boundaries(raw: bytes, day: dt.date) -> None:
    assert parse_era_date(raw, "birth date") == day


@pytest.mark.parametrize(
    "raw", [b"3640108", b"4010107", b"5010430", b"6010101", b"4010230", b"401011", b"40101a8"]
)
def test_impossible_era_dates(raw: bytes) -> None:
    with pytest.raises(ImpossibleDateError):
        parse_era_date(raw, "birth date")
