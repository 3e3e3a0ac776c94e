"""The kiosk against a real back office (the demo's embedded one: FastAPI on SQLite, on a
loopback port): the visit's call number and routing come from it and travel with every
record; the kiosk learns its reserved offline letter; a 職員を呼ぶ press reaches it, and is
kept while it is down and sent once it is back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from kioskkit import SAMPLE_STRINGS
from sqlalchemy import select

from backoffice.models import Alert, Application
from forms.catalog import Catalog
from forms.sample_records import load_sample
from kiosk.demo import DemoKit, answer_from, build_demo
from kiosk.desk import KioskDesk
from kiosk.flow import Method, Step
from kiosk.gui.scripted import sign_programmatically, walk_review
from kiosk.ports import KioskServices
from madoguchi.demo import embedded_office
from sync.client import OfficeClient
from sync.counter_link import CounterLink
from sync.protocol.counter import ONLINE_LETTERS, RoutingEntry

WAIT_MS = 30000
ROUTE = RoutingEntry(
    template_id="juminhyo", counter="1", section_ja="市民課 証明係", section_en="Certificates"
)


@pytest.fixture
def office_kit(tmp_path: Path, catalog: Catalog) -> Iterator[DemoKit]:
    kit = build_demo(tmp_path / "demo", catalog=catalog, office=embedded_office)
    kit.start_office()  # the back office serves; the kiosk's desk starts
    kit.office.wait_started()
    yield kit
    kit.close()


def office_rows(kit: DemoKit, model):
    context = kit.office.backoffice._context
    with context.sessions() as session:
        return list(session.scalars(select(model)))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_call_number_comes_from_the_office_and_travels_with_each_record(
    qtbot, make_window, office_kit
):
    kit = office_kit
    assert kit.office.kiosk_client() is not None
    from backoffice.services import routing

    with kit.office.backoffice._context.sessions() as session, session.begin():
        routing.replace(session, [ROUTE])  # what an admin configured
    window = make_window(flow=kit.make_flow(), services=kit.services)
    window.screens[Step.WELCOME].start_button.click()
    window.screens[Step.PROCEDURES].buttons["juminhyo"].setChecked(True)
    window.screens[Step.PROCEDURES].next_button.click()
    window.screens[Step.IDENTIFY].method_buttons[Method.CARD].click()
    qtbot.waitUntil(lambda: window.flow.tries_left is not None, timeout=WAIT_MS)
    for digit in kit.profile.pin:
        window.screens[Step.PIN].pad.press(digit)
    window.screens[Step.PIN].read_button.click()
    qtbot.waitUntil(lambda: window.flow.step is Step.REVIEW, timeout=WAIT_MS)
    answer_from(window.flow, load_sample("mihon_showa_last_day"))
    walk_review(window)
    sign_programmatically(window.screens[Step.SIGN].pad)
    window.screens[Step.SIGN].ok_button.click()
    window.screens[Step.CONFIRM].ok_button.click()
    qtbot.waitUntil(lambda: window.flow.step is Step.DONE, timeout=WAIT_MS)
    confirmation = window.flow.confirmation
    number = confirmation.call_number
    assert number[0] in ONLINE_LETTERS and not confirmation.call_number_offline
    assert window.screens[Step.DONE].number.text() == number
    (place,) = confirmation.destinations  # the office's routing
    assert (place.counter, place.section.ja) == ("1", "市民課 証明係")
    assert "1番窓口" in window.screens[Step.DONE].destinations[0].pair.lead
    kit.office.wait_delivered(confirmation.keys)  # the records carried it: the office kept it
    (application,) = office_rows(kit, Application)
    assert application.call_number == number
    cached = kit.outbox.routing()  # kept for the call numbers the kiosk issues offline
    assert RoutingEntry.model_validate_json(cached["juminhyo"]) == ROUTE


def test_the_kiosk_learns_its_reserved_offline_letter(qtbot, office_kit):
    kit = office_kit
    assert kit.desk is not None
    qtbot.waitUntil(lambda: kit.outbox.fact("offline_letter") is not None, timeout=WAIT_MS)
    letter = kit.outbox.fact("offline_letter")
    assert letter not in ONLINE_LETTERS and letter == "Z"  # the first kiosk's, from Z down


def test_a_call_staff_press_reaches_the_office_and_waits_while_it_is_down(
    qtbot, make_window, office_kit
):
    kit = office_kit
    real = kit.office.kiosk_client()
    down = OfficeClient(f"http://127.0.0.1:{closed_port()}", "token")
    state = {"client": down}
    link = CounterLink(kit.outbox_opener.get, lambda: state["client"])
    desk = KioskDesk(link, first_wait_s=0.05, max_wait_s=0.3).start()
    try:
        services = KioskServices(
            card=kit.services.card,
            qr=kit.services.qr,
            confirmer=kit.services.confirmer,
            printer=kit.services.printer,
            desk=desk,
        )
        window = make_window(flow=kit.make_flow(), services=services)
        window.call_button.click()
        panel = window.overlay
        qtbot.waitUntil(panel.queued.isVisible, timeout=WAIT_MS)  # kept in the kiosk's file
        assert office_rows(kit, Alert) == [] and desk.pending() == 1
        state["client"] = real  # the network is back
        qtbot.waitUntil(lambda: desk.pending() == 0, timeout=WAIT_MS)
        (alert,) = office_rows(kit, Alert)
        assert alert.kind == "call_staff" and alert.step == "welcome"
        assert not [s for s in SAMPLE_STRINGS if s in f"{alert.detail} {alert.step}"]
    finally:
        desk.close()
        down.close()
