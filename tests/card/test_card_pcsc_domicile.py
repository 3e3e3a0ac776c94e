"""Licence PIN 2 and 本籍 through the real PC/SC stack: pcscd + vpcd + the virtual licence."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from cardkit import profile

from devices.card import (
    CardService,
    LastTryUnconfirmedPin2Error,
    Pin2BlockedError,
    WrongPin2Error,
    read_card,
    tries_left,
    wait,
)
from devices.card.errors import BadLengthError, InvalidTextError, MalformedResponseError
from devices.card.virtual import Faults, VirtualLicence

pytestmark = pytest.mark.pcsc

RESIDENT = dataclasses.replace(
    profile("showa-last-day"),
    licence_pin="1989",
    licence_pin2="6401",
    domicile="京都府京都市左京区見本町一丁目十番地",
)


def read(slot, pin2: str, *, confirm: bool = False):
    return read_card(
        slot.backend,
        slot.reader,
        kind="drivers_licence",
        pin=lambda t: RESIDENT.licence_pin,
        domicile_pin=lambda t: pin2,
        confirm_last_try=(lambda: True) if confirm else None,
    )


def pin2_verifies(card: VirtualLicence) -> int:
    return sum(1 for s in card.history if s.ins == 0x20 and s.p2 == 0x82 and s.has_data)


def test_domicile_read_through_pcscd(slot) -> None:
    slot.insert(VirtualLicence(RESIDENT))
    assert tries_left(slot.backend, slot.reader, "drivers_licence", pin=2) == 3
    data = read(slot, RESIDENT.licence_pin2)
    assert data.domicile == RESIDENT.domicile and data.name == RESIDENT.name


def test_wrong_pin2_then_blocked_through_pcscd(slot) -> None:
    card = slot.insert(VirtualLicence(RESIDENT))
    with pytest.raises(WrongPin2Error) as first:
        read(slot, "0000")
    assert first.value.tries_left == 2 == card.pin2.tries
    assert tries_left(slot.backend, slot.reader, "drivers_licence", pin=2) == 2
    with pytest.raises(WrongPin2Error) as second:
        read(slot, "0000")
    assert second.value.tries_left == 1
    with pytest.raises(LastTryUnconfirmedPin2Error):
        read(slot, "0000")
    assert card.pin2.tries == 1
    with pytest.raises(Pin2BlockedError) as blocked:
        read(slot, "0000", confirm=True)
    assert blocked.value.just_now
    sent = pin2_verifies(card)
    with pytest.raises(Pin2BlockedError):
        read(slot, RESIDENT.licence_pin2, confirm=True)
    assert pin2_verifies(card) == sent == 3
    assert card.pin1.tries == 3  # PIN 1 was right every time and is untouched


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("corrupt_length", BadLengthError),
        ("invalid_text", InvalidTextError),
        ("missing", MalformedResponseError),
    ],
)
def test_malformed_domicile_through_pcscd(slot, fault: str, error: type) -> None:
    slot.insert(VirtualLicence(RESIDENT, Faults(domicile=fault)))
    with pytest.raises(error):
        read(slot, RESIDENT.licence_pin2)


def test_service_and_logs_keep_no_pin_or_domicile(slot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    slot.insert(VirtualLicence(RESIDENT))
    with CardService() as service:
        with pytest.raises(WrongPin2Error) as wrong:
            wait(
                service.read(
                    slot.reader,
                    kind="drivers_licence",
                    pin=lambda t: RESIDENT.licence_pin,
                    domicile_pin=lambda t: "6410",
                ),
                10,
            )
        domicile = wait(
            service.read_domicile(
                slot.reader,
                pin1=lambda t: RESIDENT.licence_pin,
                pin2=lambda t: RESIDENT.licence_pin2,
            ),
            10,
        )
    assert domicile == RESIDENT.domicile
    text = "\n".join([r.getMessage() for r in caplog.records] + [str(wrong.value)])
    assert caplog.records
    for secret in ("1989", "6401", "6410", RESIDENT.domicile, "見本町"):
        assert secret not in text
