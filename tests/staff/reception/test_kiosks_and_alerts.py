"""The 端末 tab and the alerts, against a real back office in this process (SQLite, and
PostgreSQL where the server is there) on a frozen office clock: a heartbeat with media-empty
sent by the kiosk's sender raises the red marker; a kiosk silent for 2 minutes turns grey; a
職員を呼ぶ alert pops up on two signed-in terminals and is acknowledged once, audited."""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "backoffice"))

from backoffice_factory import PASSWORD
from counter_office import ClockOffice, Hands, office_on_clock
from sqlalchemy import select

from backoffice.models import AuditEntry
from sync.client import OfficeClient
from sync.heartbeat import HeartbeatSender
from sync.outbox import Outbox
from sync.protocol.counter import AlertCreate, AlertKind
from tests.kiosk.kioskkit import process_deletes

TIMEOUT = 10_000
MORNING = dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC)  # 09:30 in Tokyo


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'backoffice.db'}"
    from tests.support.postgres import fresh_database

    server = request.getfixturevalue("postgres_url")
    return fresh_database(server, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def hands() -> Hands:
    return Hands(MORNING)


@pytest.fixture
def office(db_url: str, tmp_path: Path, hands: Hands) -> Iterator[ClockOffice]:
    yield from office_on_clock(db_url, tmp_path / "office", hands)


def _client(office: ClockOffice, who: str | None = None) -> OfficeClient:
    """An OfficeClient whose requests go to the in-process app (the TestClient's transport)."""
    return OfficeClient(
        "http://127.0.0.1", office.tokens[who] if who else None,
        transport=office.client._transport,
    )  # fmt: skip


def _staff(office: ClockOffice, username: str) -> OfficeClient:
    api = _client(office)
    api.login(username, PASSWORD)
    return api


@pytest.fixture
def windows(qtbot, office, tmp_path):  # type: ignore[no-untyped-def]
    from printing.spool import FolderSpooler
    from staff.background import RECEPTION_LANES, staff_lanes
    from staff.reception.window import ReceptionWindow

    made = []

    def make(username: str):  # type: ignore[no-untyped-def]
        ops = staff_lanes(RECEPTION_LANES)
        api = _staff(office, username)
        window = ReceptionWindow(
            api, ops, FolderSpooler(tmp_path / "printed"), titles={}, poll_interval_ms=200
        )
        window.show()
        window.start()
        made.append((window, api, ops))
        return window

    yield make
    for window, api, ops in made:
        window.shutdown()
        ops.invalidate()  # a poll still under way is dropped, not delivered to a closed window
        ops.shutdown(5000)
        window.close()
        window.deleteLater()
        api.close()
    process_deletes()


def test_a_heartbeat_with_media_empty_raises_the_red_marker(
    qtbot, office, hands, windows, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    kiosk = _client(office, "kiosk")
    with Outbox(tmp_path / "outbox.db") as outbox:
        sender = HeartbeatSender(
            outbox,
            reader_present=lambda: True,
            printer=lambda: ("stopped", ["media-empty-error"]),
            clock=hands.clock("Asia/Tokyo"),
        )
        assert sender.send(kiosk)
        assert sender.send(kiosk)  # not due yet: nothing sent, nothing wrong
    window = windows("sato")
    window.tabs.setCurrentWidget(window.kiosks)
    qtbot.waitUntil(lambda: len(window.kiosks.statuses) == 2, timeout=TIMEOUT)
    assert window.kiosks.marker("kiosk-1") == "red"
    row = [window.kiosks.table.item(0, c).text() for c in range(7)]
    assert row[0] == "kiosk-1" and "用紙切れ" in row[1] and "out of paper" in row[1]
    assert "media-empty-error" in row[3]
    assert window.kiosks.table.item(0, 1).foreground().color().name() == "#c62828"
    assert window.kiosks.marker("kiosk-2") == "grey"  # never heard from


def test_a_kiosk_silent_for_two_minutes_turns_grey(qtbot, office, hands, windows, tmp_path) -> None:  # type: ignore[no-untyped-def]
    kiosk = _client(office, "kiosk")
    with Outbox(tmp_path / "outbox.db") as outbox:
        HeartbeatSender(
            outbox, reader_present=lambda: True, printer=lambda: ("idle", []),
            clock=hands.clock("Asia/Tokyo"),
        ).send(kiosk)  # fmt: skip
    window = windows("sato")
    qtbot.waitUntil(lambda: len(window.kiosks.statuses) == 2, timeout=TIMEOUT)
    assert window.kiosks.marker("kiosk-1") == ""
    hands.advance(seconds=119)
    window.kiosks.refresh()
    qtbot.wait(400)
    assert window.kiosks.marker("kiosk-1") == ""
    hands.advance(seconds=1)  # the office clock, frozen and moved by the test
    qtbot.waitUntil(lambda: window.kiosks.marker("kiosk-1") == "grey", timeout=TIMEOUT)
    assert window.kiosks.table.item(0, 0).foreground().color().name() == "#9e9e9e"


def test_a_call_staff_alert_reaches_two_terminals_and_is_taken_once(
    qtbot, office, hands, windows
) -> None:  # type: ignore[no-untyped-def]
    one, two = windows("sato"), windows("suzuki")
    kiosk = _client(office, "kiosk")
    alert = AlertCreate(
        id=uuid.uuid4(), kind=AlertKind.CALL_STAFF, step="review", raised_at=hands.now
    )
    kiosk.raise_alert(alert)
    for window in (one, two):
        qtbot.waitUntil(lambda w=window: alert.id in w.alerts.boxes, timeout=TIMEOUT)
        text = window.alerts.boxes[alert.id].text.text()
        assert "kiosk-1" in text and "職員を呼ぶ" in text and "Call staff" in text
    one.alerts.boxes[alert.id].ack_button.click()
    qtbot.waitUntil(lambda: alert.id in one.alerts.acknowledged, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: alert.id not in two.alerts.boxes, timeout=TIMEOUT)
    assert two.alerts.acknowledged == [] and alert.id not in one.alerts.boxes
    with office.context.sessions() as session:
        acks = session.scalars(
            select(AuditEntry).where(AuditEntry.target == f"alert:{alert.id}")
        ).all()
    assert [a.action for a in acks].count("ack_alert") == 1
    assert [a.actor for a in acks if a.action == "ack_alert"] == ["sato"] or any(
        "sato" in a.actor for a in acks if a.action == "ack_alert"
    )


def test_a_credential_waiting_for_a_second_admin_pops_up_on_the_terminal(
    qtbot, office, windows
) -> None:  # type: ignore[no-untyped-def]
    made = office.client.post(
        "/api/v1/terminals", json={"name": "juki-2", "role": "core"}, headers=office.auth("admin")
    )
    assert made.status_code == 201 and made.json()["pending"] is True
    window = windows("sato")
    qtbot.waitUntil(lambda: len(window.alerts.boxes) == 1, timeout=TIMEOUT)
    [box] = window.alerts.boxes.values()
    assert box.alert.kind is AlertKind.OTHER and "juki-2" in box.text.text()
    assert "another admin must activate it" in box.text.text()
