"""The 本籍 screen under pytest-qt: the resident swaps the My Number Card for the licence and
enters PIN 1 and PIN 2 (the in-process virtual licence behind the card thread)."""

from __future__ import annotations

import os
from pathlib import Path

from test_kiosk_window import WAIT_MS, enter_pin, start_procedure

from devices.card.virtual import VirtualLicence
from devices.card.virtual.inprocess import DEFAULT_READER
from kiosk.flow import DomicileStage, Method, Step


def to_domicile(qtbot, window, kit, procedure: str = "koseki") -> None:
    start_procedure(window, procedure, Method.CARD)
    enter_pin(qtbot, window, kit.profile.pin)
    qtbot.waitUntil(lambda: window.flow.step is Step.DOMICILE, timeout=WAIT_MS)


def licence_on_the_reader(kit, **kwargs) -> VirtualLicence:
    kit.remove_card()
    card = VirtualLicence(kit.profile, **kwargs)
    kit.backend.insert(card, DEFAULT_READER)
    return card


def type_pin(qtbot, screen, flow, pin: str, stage: DomicileStage) -> None:
    qtbot.waitUntil(
        lambda: flow.domicile_stage is stage and screen.pad.isEnabled(), timeout=WAIT_MS
    )
    for digit in pin:
        screen.pad.press(digit)
    screen.ok_button.click()


def test_read_domicile_with_a_wrong_pin2_first(qtbot, make_window, kit, tmp_path: Path) -> None:
    window = make_window()
    flow = window.flow
    to_domicile(qtbot, window, kit)
    screen = window.screens[Step.DOMICILE]
    assert screen.offer.isVisible() and not screen.pins.isVisible()
    if os.environ.get("MADOGUCHI_SHOTS"):
        window.grab().save(os.environ["MADOGUCHI_SHOTS"] + "/domicile_offer.png")
    card = licence_on_the_reader(kit)
    screen.read_button.click()
    profile = kit.profile
    assert profile.licence_pin is not None
    type_pin(qtbot, screen, flow, profile.licence_pin, DomicileStage.PIN1)
    assert flow.domicile_pin == 2 and screen.tries.pair.lead.endswith("3回")
    if os.environ.get("MADOGUCHI_SHOTS"):
        window.grab().save(os.environ["MADOGUCHI_SHOTS"] + "/domicile_pin2.png")
    type_pin(
        qtbot,
        screen,
        flow,
        "0000" if profile.licence_pin2 != "0000" else "1111",
        DomicileStage.PIN2,
    )
    qtbot.waitUntil(lambda: flow.domicile_error is not None, timeout=WAIT_MS)
    assert card.pin2.tries == 2 and flow.domicile_stage is DomicileStage.PIN1
    assert screen.error.isVisible() and "暗証番号2" in screen.error.pair.lead
    type_pin(qtbot, screen, flow, profile.licence_pin, DomicileStage.PIN1)
    type_pin(qtbot, screen, flow, profile.licence_pin2, DomicileStage.PIN2)
    qtbot.waitUntil(lambda: flow.step is Step.REVIEW, timeout=WAIT_MS)
    assert flow.forms["koseki"].values["domicile"] == profile.domicile
    assert card.pin2.tries == 3 and screen._pin1 is None


def test_last_pin2_try_asks_first_and_blocked_offers_typing(qtbot, make_window, kit) -> None:
    window = make_window()
    flow = window.flow
    to_domicile(qtbot, window, kit)
    screen = window.screens[Step.DOMICILE]
    card = licence_on_the_reader(kit, tries2=1)
    screen.read_button.click()
    assert kit.profile.licence_pin is not None
    type_pin(qtbot, screen, flow, kit.profile.licence_pin, DomicileStage.PIN1)
    assert screen.last_try.isVisible() and not screen.pad.isEnabled()
    screen.last_try_yes.click()
    type_pin(qtbot, screen, flow, "0000", DomicileStage.PIN2)
    qtbot.waitUntil(lambda: flow.domicile_stage is DomicileStage.OFFER, timeout=WAIT_MS)
    assert card.pin2.tries == 0
    assert flow.domicile_error is not None and flow.domicile_error.code == "card_pin2_blocked"
    assert screen.offer_error.isVisible()
    screen.type_button.click()
    assert flow.step is Step.REVIEW and "domicile" not in flow.forms["koseki"].values


def test_no_domicile_screen_for_a_form_without_the_need(qtbot, make_window, kit) -> None:
    window = make_window()
    start_procedure(window, "juminhyo", Method.CARD)
    enter_pin(qtbot, window, kit.profile.pin)
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)


def test_back_from_pin2_wipes_the_held_pin1(qtbot, make_window, kit) -> None:
    window = make_window()
    flow = window.flow
    to_domicile(qtbot, window, kit, procedure="shussei")
    screen = window.screens[Step.DOMICILE]
    licence_on_the_reader(kit)
    screen.read_button.click()
    assert kit.profile.licence_pin is not None
    type_pin(qtbot, screen, flow, kit.profile.licence_pin, DomicileStage.PIN1)
    held = screen._pin1
    assert held is not None and window.back_button.isVisible()
    window.back_button.click()
    assert flow.domicile_stage is DomicileStage.OFFER and screen._pin1 is None
    assert held == bytearray(len(held))  # zeroed, not just dropped
