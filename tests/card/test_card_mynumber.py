"""My Number Card reads against the in-process virtual card: data, PIN discipline, faults."""

from __future__ import annotations

import contextlib

import pytest
from cardkit import all_profiles, profile
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card.errors import (
    BadCheckDigitError,
    BadLengthError,
    BadSexCodeError,
    CardError,
    CardRemovedError,
    ImpossibleDateError,
    InvalidTextError,
    LastTryUnconfirmedError,
    MalformedResponseError,
    NotMyNumberCardError,
    PinBlockedError,
    PinEntryCancelledError,
    PinFormatError,
    ReadRefusedError,
    UnexpectedStatusError,
    UnknownTagError,
    WrongPinError,
)
from devices.card.mynumber import parse_basic_four, read_my_number, read_tries_left
from devices.card.virtual import (
    Faults,
    InProcessTransport,
    VirtualLicence,
    VirtualMyNumberCard,
)
from devices.card.virtual.card import Command, sw
from devices.card.virtual.mynumber import basic_four_file
from forms.record import SessionRecord, Sex

PROFILES = all_profiles()


def verifies_with_pin(card: VirtualMyNumberCard) -> int:
    return sum(1 for s in card.history if s.ins == 0x20 and s.has_data)


@pytest.mark.parametrize("resident", PROFILES, ids=lambda p: p.label)
def test_full_read_of_every_sample_profile(resident) -> None:
    card = VirtualMyNumberCard(resident)
    data = read_my_number(InProcessTransport(card), lambda tries: resident.pin)
    assert (data.name, data.address, data.birth_date, data.sex) == (
        resident.name,
        resident.address,
        resident.birth_date,
        resident.sex,
    )
    assert data.kind == "my_number"
    assert data.individual_number is None  # not asked for: not read
    selected = [s for s in card.history if s.ins == 0xA4 and s.p1 == 0x02]
    assert len(selected) == 2  # the PIN EF and the basic four only: EF 0001 never selected


def test_sample_profiles_cover_the_brief() -> None:
    names = {p.name for p in PROFILES}
    assert any("𠮷" in n for n in names) and any("髙" in n for n in names)
    assert any("﨑" in n for n in names)
    assert any(n.isascii() for n in names)
    dates = {p.birth_date.isoformat() for p in PROFILES}
    assert {"1989-01-07", "1989-01-08", "2019-04-30", "2019-05-01"} <= dates
    files = [basic_four_file(p, Faults()) for p in PROFILES]
    assert any(b"\xdf\x23\x81" in f for f in files)  # address with the 81 xx form
    assert any(f.startswith(b"\xff\x20\x82") for f in files)  # a file longer than 255 bytes


def test_individual_number_only_when_asked_and_apdu_budget() -> None:
    resident = profile("yoshino-takako")
    card = VirtualMyNumberCard(resident)
    data = read_my_number(InProcessTransport(card), lambda t: resident.pin, individual_number=True)
    assert data.individual_number == resident.individual_number
    assert "individual" not in repr(data) and resident.individual_number not in repr(data)
    tries_query = next(i for i, s in enumerate(card.history) if s.ins == 0x20 and not s.has_data)
    assert len(card.history) - tries_query - 1 <= 5


def test_basic_read_is_three_apdus_after_the_tries_query() -> None:
    resident = profile("smith-john")
    card = VirtualMyNumberCard(resident)
    read_my_number(InProcessTransport(card), lambda t: resident.pin)
    assert [(s.ins, s.has_data) for s in card.history] == [
        (0xA4, True),
        (0xA4, True),
        (0x20, False),
        (0x20, True),
        (0xA4, True),
        (0xB0, False),
    ]


def test_long_file_needs_and_gets_a_second_read_binary() -> None:
    resident = profile("long-address-82")
    card = VirtualMyNumberCard(resident)
    data = read_my_number(InProcessTransport(card), lambda t: resident.pin)
    assert data.address == resident.address
    assert sum(1 for s in card.history if s.ins == 0xB0) == 2


def test_result_goes_into_the_session_record() -> None:
    resident = profile("yamasaki-taro")
    record = SessionRecord()
    record.apply_card(
        read_my_number(InProcessTransport(VirtualMyNumberCard(resident)), lambda t: resident.pin)
    )
    assert record.persons[0].name is not None
    assert record.persons[0].name.family == "山﨑" and record.persons[0].name.given == "太郎"
    assert record.persons[0].sex is Sex.MALE
    assert record.addresses["current"].prefecture == "大阪府"


# --- PIN discipline --------------------------------------------------------------------------


def test_tries_query_spends_nothing() -> None:
    card = VirtualMyNumberCard(profile("smith-john"))
    assert read_tries_left(InProcessTransport(card)) == 3
    assert read_tries_left(InProcessTransport(card)) == 3
    assert card.pin.tries == 3 and verifies_with_pin(card) == 0


def test_wrong_pin_spends_exactly_one_try_and_reports_the_rest() -> None:
    resident = profile("smith-john")
    card = VirtualMyNumberCard(resident)
    heard: list[int] = []

    def wrong(tries: int) -> str:
        heard.append(tries)
        return "9999"

    with pytest.raises(WrongPinError) as caught:
        read_my_number(InProcessTransport(card), wrong)
    assert caught.value.tries_left == 2 and card.pin.tries == 2 and heard == [3]
    assert caught.value.exit_code == 3
    read_my_number(InProcessTransport(card), lambda t: resident.pin)
    assert card.pin.tries == 3  # a correct PIN resets the counter


def test_one_try_left_needs_confirmation_before_any_verify() -> None:
    resident = profile("smith-john")
    card = VirtualMyNumberCard(resident, tries=1)
    asked: list[int] = []
    with pytest.raises(LastTryUnconfirmedError):
        read_my_number(InProcessTransport(card), lambda t: asked.append(t) or resident.pin)
    with pytest.raises(LastTryUnconfirmedError):
        read_my_number(
            InProcessTransport(card), lambda t: resident.pin, confirm_last_try=lambda: False
        )
    assert asked == [] and verifies_with_pin(card) == 0 and card.pin.tries == 1
    data = read_my_number(
        InProcessTransport(card), lambda t: resident.pin, confirm_last_try=lambda: True
    )
    assert data.name == resident.name and card.pin.tries == 3


def test_last_wrong_try_blocks_and_then_nothing_is_verified() -> None:
    resident = profile("smith-john")
    card = VirtualMyNumberCard(resident, tries=1)
    with pytest.raises(PinBlockedError) as caught:
        read_my_number(InProcessTransport(card), lambda t: "0001", confirm_last_try=lambda: True)
    assert caught.value.just_now and caught.value.exit_code == 4
    sent = verifies_with_pin(card)
    with pytest.raises(PinBlockedError):
        read_my_number(
            InProcessTransport(card), lambda t: resident.pin, confirm_last_try=lambda: True
        )
    assert verifies_with_pin(card) == sent == 1


def test_blocked_card_is_refused_without_a_verify() -> None:
    resident = profile("smith-john")
    card = VirtualMyNumberCard(resident, tries=0)
    with pytest.raises(PinBlockedError):
        read_my_number(InProcessTransport(card), lambda t: pytest.fail("PIN asked"))
    assert verifies_with_pin(card) == 0


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "１２３４", ""])
def test_badly_shaped_pin_spends_no_try(pin: str) -> None:
    card = VirtualMyNumberCard(profile("smith-john"))
    with pytest.raises(PinFormatError):
        read_my_number(InProcessTransport(card), lambda t: pin)
    assert verifies_with_pin(card) == 0 and card.pin.tries == 3


def test_cancelled_pin_entry_sends_nothing() -> None:
    card = VirtualMyNumberCard(profile("smith-john"))
    with pytest.raises(PinEntryCancelledError):
        read_my_number(InProcessTransport(card), lambda t: None)
    assert verifies_with_pin(card) == 0


def test_verify_buffers_are_wiped(monkeypatch: pytest.MonkeyPatch) -> None:
    import devices.card.pin as pin_module

    resident = profile("smith-john")
    built: list[bytearray] = []
    real_verify = pin_module.apdu.verify

    def recording_verify(p2: int, pin: bytes | bytearray | None = None) -> bytearray:
        command = real_verify(p2, pin)
        built.append(command)
        return command

    monkeypatch.setattr(pin_module.apdu, "verify", recording_verify)
    data = read_my_number(InProcessTransport(VirtualMyNumberCard(resident)), lambda t: resident.pin)
    assert data.name == resident.name
    with_pin = [c for c in built if len(c) > 4]
    assert len(with_pin) == 1 and with_pin[0] == bytearray(len(with_pin[0]))  # zeroed


# --- the wrong card, removal, refusal --------------------------------------------------------


def test_a_licence_is_not_a_my_number_card() -> None:
    with pytest.raises(NotMyNumberCardError) as caught:
        read_my_number(InProcessTransport(VirtualLicence(profile("smith-john"))), lambda t: "1")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("after", range(8))
def test_removal_at_every_apdu_gives_the_removal_error(after: int) -> None:
    resident = profile("yoshino-takako")
    card = VirtualMyNumberCard(resident, Faults(remove_after=after))
    record = SessionRecord()
    with pytest.raises(CardRemovedError):
        record.apply_card(
            read_my_number(InProcessTransport(card), lambda t: resident.pin, individual_number=True)
        )
    assert record.card is None and record.persons == [] and record.addresses == {}


class RefusingCard(VirtualMyNumberCard):
    def dispatch(self, command: Command) -> bytes:
        if command.ins == 0xB0:
            return sw(0x6982)
        return super().dispatch(command)


def test_read_refused() -> None:
    resident = profile("smith-john")
    with pytest.raises(ReadRefusedError):
        read_my_number(InProcessTransport(RefusingCard(resident)), lambda t: resident.pin)


# --- malformed responses ---------------------------------------------------------------------

MALFORMED = [
    (Faults(corrupt_length=True), BadLengthError),
    (Faults(bad_offsets=True), BadLengthError),
    (Faults(unknown_tag=True), UnknownTagError),
    (Faults(invalid_text=True), InvalidTextError),
    (Faults(impossible_date=True), ImpossibleDateError),
    (Faults(bad_sex=True), BadSexCodeError),
    (Faults(bad_check_digit=True), BadCheckDigitError),
    *[(Faults(garbage_sw_at=n), UnexpectedStatusError) for n in range(1, 9)],
    *[(Faults(short_response_at=n), BadLengthError) for n in range(1, 9)],
]


@pytest.mark.parametrize(("faults", "error"), MALFORMED, ids=lambda v: repr(v)[:60])
def test_every_malformed_response_has_its_error(faults: Faults, error: type) -> None:
    resident = profile("yoshino-takako")
    record = SessionRecord()
    with pytest.raises(error) as caught:
        record.apply_card(
            read_my_number(
                InProcessTransport(VirtualMyNumberCard(resident, faults)),
                lambda t: resident.pin,
                individual_number=True,
            )
        )
    assert isinstance(caught.value, MalformedResponseError)
    assert record.card is None and record.persons == []
    assert resident.name not in str(caught.value)


def test_two_leading_bytes_before_ff20_are_tolerated() -> None:
    resident = profile("yoshino-takako")
    card = VirtualMyNumberCard(resident, Faults(leading_bytes=True))
    assert read_my_number(InProcessTransport(card), lambda t: resident.pin).name == resident.name


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_garbage_files_raise_only_malformed(data: bytes) -> None:
    with contextlib.suppress(MalformedResponseError):
        parse_basic_four(data)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_mutated_files_never_crash(data: st.DataObject) -> None:
    good = bytearray(basic_four_file(profile("yoshino-takako"), Faults()))
    for _ in range(data.draw(st.integers(1, 3))):
        good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(CardError):
        parse_basic_four(bytes(good))
