"""The review's 転入予約 page in the window (offscreen): the lookup runs on the desk lane after
the card read, the resident confirms or declines, and a lookup that fails or comes late never
holds the resident up.

Every wait here has a timeout: the fake lookup blocks on an Event with one, the test releases it
in `finally`, and the window's lanes are waited for with `qtbot.waitUntil(…, timeout=…)`. (A
lane job that never returns keeps a non-daemon worker thread alive, and the interpreter joins
those at exit: the run never ends.)"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from kioskkit import SAMPLE_STRINGS, texts_with_samples
from test_kiosk_window import WAIT_MS, enter_pin, start_procedure

from forms.errors import MadoguchiError
from kiosk.flow import Method, Step
from kiosk.ports import KioskServices
from kiosk.reservation import RESERVATION_KEY
from sync.protocol.reservations import HouseholdMember, ReservationFound


class ServerDown(MadoguchiError):
    code = "test_server_down"


class FakeLookup:
    """`kiosk.ports.ReservationLookup`: answers `found`, or fails; optionally holds the answer
    until `release` is set (bounded: it gives up after WAIT_MS)."""

    def __init__(self, found: ReservationFound | None, *, fail: bool = False, hold: bool = False):
        self.found = found
        self.fail = fail
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.started = threading.Event()
        self.queries: list[tuple[str, dt.date]] = []

    def find(self, name: str, birth_date: dt.date) -> ReservationFound | None:
        self.queries.append((name, birth_date))
        self.started.set()
        self.release.wait(WAIT_MS / 1000)  # never unbounded, even if the test forgets
        if self.fail:
            raise ServerDown("予約を確認できません", "cannot check the reservation")
        return self.found


def reservation_for(kit) -> ReservationFound:
    """A reservation for the demo card's resident (見本 昭子, a sample resident)."""
    p = kit.profile
    return ReservationFound(
        reservation_id="R-2026-0001",
        household=[
            HouseholdMember(name=p.name, birth_date=p.birth_date, relation="本人"),
            HouseholdMember(
                name="見本 太郎",
                kana="ミホン タロウ",
                birth_date=dt.date(2020, 5, 5),
                relation="子",
            ),
        ],
        old_address="東京都千代田区見本町1-2-3",
        new_address="神奈川県横浜市中区見本通4-5-6",
        move_date=dt.date(2026, 11, 28),
    )


@pytest.fixture
def with_lookup(make_window, kit) -> Iterator:
    lookups: list[FakeLookup] = []

    def make(lookup: FakeLookup):
        lookups.append(lookup)
        services = KioskServices(
            card=kit.services.card,
            qr=kit.services.qr,
            confirmer=kit.services.confirmer,
            printer=kit.services.printer,
            reservations=lookup,
        )
        return make_window(services=services)

    try:
        yield make
    finally:
        for lookup in lookups:
            lookup.release.set()  # a held lookup ends before the window's lanes shut down


def card_read(qtbot, window, kit) -> None:
    start_procedure(window, "bundle:moving_in", Method.CARD)
    enter_pin(qtbot, window, kit.profile.pin)


def test_a_match_shows_the_reservation_page_and_yes_goes_on(qtbot, with_lookup, kit) -> None:
    lookup = FakeLookup(reservation_for(kit))
    window = with_lookup(lookup)
    card_read(qtbot, window, kit)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert lookup.queries == [(kit.profile.name, kit.profile.birth_date)]  # what the card said
    review = window.screens[Step.REVIEW]
    assert window.flow.reservation_pending
    assert review.reservation_yes.isVisible() and review.reservation_no.isVisible()
    assert not review.next_button.isVisible() and not review.back_button.isVisible()
    record = window.flow.record
    assert record is not None and record.answers[RESERVATION_KEY] == "R-2026-0001"
    review.reservation_yes.click()
    assert not window.flow.reservation_pending and window.flow.step is Step.REVIEW
    assert review.next_button.isVisible() and not review.reservation_yes.isVisible()
    assert window.flow.record.dates["move"] == dt.date(2026, 11, 28)


def test_no_goes_back_to_the_card_alone(qtbot, with_lookup, kit) -> None:
    window = with_lookup(FakeLookup(reservation_for(kit)))
    card_read(qtbot, window, kit)
    qtbot.waitUntil(lambda: window.flow.reservation_pending, timeout=WAIT_MS)
    review = window.screens[Step.REVIEW]
    review.reservation_no.click()
    record = window.flow.record
    assert window.flow.step is Step.REVIEW and record is not None
    assert "move" not in record.dates and len(record.persons) == 1
    assert review.next_button.isVisible() and not review.reservation_no.isVisible()


def test_a_failed_lookup_is_no_reservation(qtbot, with_lookup, kit) -> None:
    window = with_lookup(FakeLookup(reservation_for(kit), fail=True))
    card_read(qtbot, window, kit)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert not window.flow.reservation_pending and window.flow.reservation is None
    assert window.screens[Step.REVIEW].next_button.isVisible()


def test_cancel_while_the_lookup_runs_drops_its_late_answer(qtbot, with_lookup, kit) -> None:
    lookup = FakeLookup(reservation_for(kit), hold=True)
    window = with_lookup(lookup)
    try:
        card_read(qtbot, window, kit)
        qtbot.waitUntil(lookup.started.is_set, timeout=WAIT_MS)
        assert window.flow.step is Step.PIN  # the card's data waits for the lookup
        window.flow.cancel()
    finally:
        lookup.release.set()
    qtbot.waitUntil(lambda: not window.ops.busy("desk"), timeout=WAIT_MS)
    assert window.flow.step is Step.WELCOME and window.flow.record is None
    assert window.flow.reservation is None
    assert texts_with_samples(window) == []


def test_no_lookup_for_a_procedure_other_than_moving_in(qtbot, with_lookup, kit) -> None:
    lookup = FakeLookup(reservation_for(kit))
    window = with_lookup(lookup)
    start_procedure(window, "juminhyo", Method.CARD)
    enter_pin(qtbot, window, kit.profile.pin)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert lookup.queries == [] and window.flow.reservation is None
    assert not [s for s in SAMPLE_STRINGS if s in repr(window.flow)]


def test_a_slow_office_does_not_hold_the_resident(qtbot, with_lookup, kit, monkeypatch) -> None:
    import kiosk.gui.background_actions

    monkeypatch.setattr(kiosk.gui.background_actions, "RESERVATION_TIMEOUT_S", 0.2)
    lookup = FakeLookup(reservation_for(kit), hold=True)
    window = with_lookup(lookup)
    try:
        card_read(qtbot, window, kit)
        qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
        assert window.flow.reservation is None  # the card's items went on alone
    finally:
        lookup.release.set()
    qtbot.waitUntil(lambda: not window.ops.busy("desk"), timeout=WAIT_MS)
    assert window.flow.reservation is None and "move" not in window.flow.record.dates
