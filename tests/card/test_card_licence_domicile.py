"""本籍 from the driver's licence (DF1/EF02, behind PIN 1 and PIN 2), in-process."""

from __future__ import annotations

import dataclasses

import pytest
from cardkit import profile

from devices.card import worker
from devices.card.errors import (
    BadLengthError,
    CardRemovedError,
    InvalidTextError,
    LastTryUnconfirmedError,
    LastTryUnconfirmedPin2Error,
    MalformedResponseError,
    Pin2BlockedError,
    PinBlockedError,
    PinEntryCancelledError,
    PinFormatError,
    UnknownTagError,
    WrongPin2Error,
    WrongPinError,
)
from devices.card.licence import parse_domicile, read_domicile, read_licence, read_tries_left
from devices.card.virtual import Faults, InProcessTransport, VirtualBackend, VirtualLicence
from forms.record import SessionRecord

RESIDENT = dataclasses.replace(
    profile("heisei-first-day"),
    licence_pin="1990",
    licence_pin2="2468",
    domicile="京都府京都市左京区見本町一番地",
)


def pin2_verifies(card: VirtualLicence) -> int:
    return sum(1 for s in card.history if s.ins == 0x20 and s.p2 == 0x82 and s.has_data)


def test_read_with_domicile() -> None:
    card = VirtualLicence(RESIDENT)
    asked: list[tuple[str, int]] = []

    def pin1(left: int) -> str:
        asked.append(("pin1", left))
        return "1990"

    def pin2(left: int) -> str:
        asked.append(("pin2", left))
        return "2468"

    data = read_licence(InProcessTransport(card), pin1, domicile_pin=pin2)
    assert data.domicile == RESIDENT.domicile
    assert data.name == RESIDENT.name
    assert asked == [("pin1", 3), ("pin2", 3)]
    assert "京都" not in repr(data) and "京都" not in str(data)


def test_without_domicile_pin_ef02_is_never_touched() -> None:
    card = VirtualLicence(RESIDENT)
    data = read_licence(InProcessTransport(card), lambda t: "1990")
    assert data.domicile is None
    assert pin2_verifies(card) == 0
    assert not any(s.ins == 0x20 and s.p2 == 0x82 for s in card.history)


def test_read_domicile_alone() -> None:
    card = VirtualLicence(RESIDENT)
    assert read_domicile(InProcessTransport(card), lambda t: "1990", lambda t: "2468") == (
        RESIDENT.domicile
    )


def test_pins_not_set_use_the_unset_pin_for_both() -> None:
    resident = dataclasses.replace(RESIDENT, licence_pin=None)
    card = VirtualLicence(resident)
    data = read_licence(
        InProcessTransport(card),
        lambda t: pytest.fail("PIN 1 asked"),
        domicile_pin=lambda t: pytest.fail("PIN 2 asked"),
    )
    assert data.domicile == resident.domicile


def test_pin2_tries_read_without_spending() -> None:
    card = VirtualLicence(RESIDENT, tries2=2)
    assert read_tries_left(InProcessTransport(card), pin=2) == 2
    assert read_tries_left(InProcessTransport(card), pin=1) == 3
    assert card.pin2.tries == 2 and pin2_verifies(card) == 0


def test_wrong_pin2_counts_down_then_last_try_then_blocked() -> None:
    card = VirtualLicence(RESIDENT)

    def read(pin2: str, confirm: bool = False) -> object:
        return read_licence(
            InProcessTransport(card),
            lambda t: "1990",
            domicile_pin=lambda t: pin2,
            confirm_last_try=(lambda: True) if confirm else None,
        )

    with pytest.raises(WrongPin2Error) as caught:
        read("0000")
    assert caught.value.tries_left == 2 == card.pin2.tries
    assert isinstance(caught.value, WrongPinError)  # the kiosk's PIN pad handles both
    assert "暗証番号2" in caught.value.ja and "0000" not in str(caught.value)
    with pytest.raises(WrongPin2Error):
        read("0000")
    assert card.pin2.tries == 1 and card.pin1.tries == 3
    with pytest.raises(LastTryUnconfirmedPin2Error) as last:
        read("0000")
    assert isinstance(last.value, LastTryUnconfirmedError)
    assert card.pin2.tries == 1  # nothing sent
    with pytest.raises(Pin2BlockedError) as blocked:
        read("0000", confirm=True)
    assert blocked.value.just_now and isinstance(blocked.value, PinBlockedError)
    sent = pin2_verifies(card)
    with pytest.raises(Pin2BlockedError) as again:
        read("2468", confirm=True)
    assert not again.value.just_now
    assert pin2_verifies(card) == sent == 3
    # PIN 1 and the printed details still read; only 本籍 is out of reach.
    assert read_licence(InProcessTransport(card), lambda t: "1990").name == RESIDENT.name
    with pytest.raises(Pin2BlockedError):
        read_tries_left(InProcessTransport(card), pin=2)


def test_right_pin2_resets_its_counter() -> None:
    card = VirtualLicence(RESIDENT, tries2=2)
    data = read_licence(InProcessTransport(card), lambda t: "1990", domicile_pin=lambda t: "2468")
    assert data.domicile and card.pin2.tries == 3


def test_pin2_last_try_confirmed_reads() -> None:
    card = VirtualLicence(RESIDENT, tries2=1)
    confirmed: list[bool] = []

    def confirm() -> bool:
        confirmed.append(True)
        return True

    data = read_licence(
        InProcessTransport(card),
        lambda t: "1990",
        domicile_pin=lambda t: "2468",
        confirm_last_try=confirm,
    )
    assert data.domicile == RESIDENT.domicile and confirmed == [True]


@pytest.mark.parametrize(
    ("pin2", "error"),
    [("24", PinFormatError), ("24a8", PinFormatError), (None, PinEntryCancelledError)],
)
def test_bad_pin2_shape_spends_nothing(pin2: str | None, error: type) -> None:
    card = VirtualLicence(RESIDENT)
    with pytest.raises(error):
        read_licence(InProcessTransport(card), lambda t: "1990", domicile_pin=lambda t: pin2)
    assert card.pin2.tries == 3 and pin2_verifies(card) == 0


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("corrupt_length", BadLengthError),
        ("unknown_tag", UnknownTagError),
        ("invalid_text", InvalidTextError),
        ("missing", MalformedResponseError),
        ("empty", MalformedResponseError),
    ],
)
def test_malformed_domicile(fault: str, error: type) -> None:
    card = VirtualLicence(RESIDENT, Faults(domicile=fault))
    with pytest.raises(error) as caught:
        read_licence(InProcessTransport(card), lambda t: "1990", domicile_pin=lambda t: "2468")
    assert "見本町" not in str(caught.value) and "2468" not in str(caught.value)


@pytest.mark.parametrize("after", range(8, 14))
def test_removal_during_the_domicile_part(after: int) -> None:
    card = VirtualLicence(RESIDENT, Faults(remove_after=after))
    with pytest.raises(CardRemovedError):
        read_licence(InProcessTransport(card), lambda t: "1990", domicile_pin=lambda t: "2468")


def test_parse_domicile_strips_padding_and_rejects_blank() -> None:
    from devices.card import jisx0208

    raw = bytes([0x31, 8]) + jisx0208.encode("見本町\u3000") + b"\xff\xff"
    assert parse_domicile(raw) == "見本町"
    with pytest.raises(MalformedResponseError):
        parse_domicile(bytes([0x31, 2]) + jisx0208.encode("\u3000"))


def test_service_reads_domicile_and_the_record_does_not_keep_it() -> None:
    backend = VirtualBackend()
    backend.insert(VirtualLicence(RESIDENT))
    reader = backend.readers()[0]
    data = worker.read_card(
        backend,
        reader,
        kind="drivers_licence",
        pin=lambda t: "1990",
        domicile_pin=lambda t: "2468",
    )
    assert data.domicile == RESIDENT.domicile
    assert worker.read_domicile(backend, reader, pin1=lambda t: "1990", pin2=lambda t: "2468")
    assert worker.tries_left(backend, reader, "drivers_licence", pin=2) == 3
    record = SessionRecord()
    record.apply_card(data)
    assert record.card is not None and record.card.domicile is None
    assert RESIDENT.domicile not in record.model_dump_json()
