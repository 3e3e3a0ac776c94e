"""The same reading code through the real PC/SC stack: pcscd + vpcd + our virtual card."""

from __future__ import annotations

import logging
import queue

import pytest
from cardkit import profile, with_pin

from devices.card import (
    CardInserted,
    CardRemoved,
    CardRemovedError,
    CardService,
    NoCardError,
    PinBlockedError,
    WrongPinError,
    read_card,
    tries_left,
    wait,
)
from devices.card.errors import BadLengthError, UnexpectedStatusError
from devices.card.virtual import Faults, VirtualLicence, VirtualMyNumberCard
from forms.record import SessionRecord

pytestmark = pytest.mark.pcsc

FULL_READ = [
    "yoshino-takako",  # 𠮷 髙
    "yamasaki-taro",  # 﨑
    "smith-john",  # a Latin name
    "long-address-81",  # 81 xx address length
    "long-address-82",  # 82 xx xx file length, two READ BINARYs
    "showa-last-day",
    "heisei-first-day",
    "heisei-last-day",
    "reiwa-first-day",
]


def with_pin_count(card: VirtualMyNumberCard) -> int:
    return sum(1 for s in card.history if s.ins == 0x20 and s.has_data)


@pytest.mark.parametrize("label", FULL_READ)
def test_full_read_through_pcscd(slot, label: str) -> None:
    resident = profile(label)
    slot.insert(VirtualMyNumberCard(resident))
    data = read_card(slot.backend, slot.reader, pin=lambda t: resident.pin, individual_number=True)
    assert (data.name, data.address, data.birth_date, data.sex, data.individual_number) == (
        resident.name,
        resident.address,
        resident.birth_date,
        resident.sex,
        resident.individual_number,
    )


def test_licence_through_pcscd(slot) -> None:
    resident = profile("heisei-first-day")
    slot.insert(VirtualLicence(resident))
    data = read_card(
        slot.backend, slot.reader, kind="drivers_licence", pin=lambda t: resident.licence_pin
    )
    assert (data.name, data.address, data.kana, data.birth_date) == (
        resident.name,
        resident.address,
        resident.kana,
        resident.birth_date,
    )


def test_wrong_pin_decrements_by_exactly_one(slot) -> None:
    resident = profile("smith-john")
    card = slot.insert(VirtualMyNumberCard(resident))
    assert tries_left(slot.backend, slot.reader) == 3
    with pytest.raises(WrongPinError) as caught:
        read_card(slot.backend, slot.reader, pin=lambda t: "9999")
    assert caught.value.tries_left == 2
    assert tries_left(slot.backend, slot.reader) == 2 == card.pin.tries
    assert with_pin_count(card) == 1


def test_blocked_card_refuses_without_spending_a_verify(slot) -> None:
    resident = profile("smith-john")
    card = slot.insert(VirtualMyNumberCard(resident, tries=0))
    with pytest.raises(PinBlockedError):
        read_card(slot.backend, slot.reader, pin=lambda t: pytest.fail("PIN asked"))
    assert with_pin_count(card) == 0
    assert any(s.ins == 0x20 and not s.has_data for s in card.history)  # it did ask the tries


@pytest.mark.parametrize("after", range(8))
def test_removal_at_every_apdu_through_pcscd(slot, after: int) -> None:
    resident = profile("yoshino-takako")
    card = slot.insert(VirtualMyNumberCard(resident, Faults(remove_after=after)))
    record = SessionRecord()
    with pytest.raises(CardRemovedError):
        record.apply_card(
            read_card(slot.backend, slot.reader, pin=lambda t: resident.pin, individual_number=True)
        )
    assert card.apdu_count == after + 1  # it got exactly that far
    assert record.card is None and record.persons == [] and record.addresses == {}
    slot.wait_gone()
    with pytest.raises(NoCardError):
        read_card(slot.backend, slot.reader, pin=lambda t: resident.pin)


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        (Faults(garbage_sw_at=6), UnexpectedStatusError),
        (Faults(corrupt_length=True), BadLengthError),
    ],
)
def test_malformed_through_pcscd(slot, faults: Faults, error: type) -> None:
    resident = profile("smith-john")
    slot.insert(VirtualMyNumberCard(resident, faults))
    with pytest.raises(error):
        read_card(slot.backend, slot.reader, pin=lambda t: resident.pin)


def test_insert_and_remove_events_through_pcscd(slot) -> None:
    events: queue.Queue = queue.Queue()
    with CardService(poll_interval=0.05) as service:
        service.subscribe(events.put)
        wait(service.readers(), 5)
        slot.insert(VirtualMyNumberCard(profile("smith-john")))
        seen = []
        while CardInserted(slot.reader) not in seen:
            seen.append(events.get(timeout=5))  # queue.Empty after 5 s: the event never came
        slot.remove()
        while CardRemoved(slot.reader) not in seen:
            seen.append(events.get(timeout=5))
    inserted = seen.index(CardInserted(slot.reader))
    assert inserted < seen.index(CardRemoved(slot.reader))  # in the order they happened


def test_no_pin_or_personal_data_in_any_log(slot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    resident = with_pin(profile("yoshino-takako"), "5806")
    card = slot.insert(VirtualMyNumberCard(resident))
    with pytest.raises(WrongPinError):
        read_card(slot.backend, slot.reader, pin=lambda t: "5817")
    with CardService() as service:
        data = wait(
            service.read(slot.reader, pin=lambda t: resident.pin, individual_number=True), 10
        )
    assert data.name == resident.name and card.pin.tries == 3
    slot.insert(VirtualMyNumberCard(resident, Faults(remove_after=3)))
    with pytest.raises(CardRemovedError):
        read_card(slot.backend, slot.reader, pin=lambda t: resident.pin)
    text = "\n".join([r.getMessage() for r in caplog.records] + [repr(card), repr(data), str(data)])
    assert caplog.records, "the test must have captured something"
    for secret in (
        "5806",
        "5817",
        resident.name,
        "𠮷野",
        "髙子",
        resident.address,
        resident.individual_number,
        resident.birth_date.strftime("%Y%m%d"),
    ):
        assert secret not in text
