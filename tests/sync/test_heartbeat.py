"""The kiosk's heartbeat: the CUPS queue's state and reasons from `lpstat -l -p`, the outbox's
backlog and the age of its oldest record, the last good sync; sent by the sync worker and by
the kiosk desk's thread every 30 s (office clock injected), through the heartbeat endpoint."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import httpx

from forms.clock import OfficeClock, zone_named
from printing.spool import parse_lpstat_long
from sync.client import OfficeClient
from sync.heartbeat import HeartbeatSender
from sync.outbox import Outbox

NOW = dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC)

LPSTAT_OUT_OF_PAPER = """printer kiosk-1f is idle.  enabled since Thu Dec  3 09:00:00 2026
\tForm mounted:
\tContent types: any
\tDescription: Kiosk 1F
\tAlerts: media-empty-error media-needed-warning
\tLocation:
"""
LPSTAT_DISABLED = """printer kiosk-1f disabled since Thu Dec  3 09:00:00 2026 -
\tPaused
\tAlerts: paused
"""
LPSTAT_PRINTING = """printer kiosk-1f now printing kiosk-1f-12.  enabled since Thu
\tAlerts: none
"""


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def office(self) -> OfficeClock:
        return OfficeClock(zone=zone_named("Asia/Tokyo"), source=lambda: self.now)


def _office(beats: list[dict]) -> httpx.MockTransport:  # type: ignore[type-arg]
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/heartbeats"):
            beats.append(json.loads(request.content))
            return httpx.Response(204)
        if request.url.path.endswith("/office-keys"):
            return httpx.Response(404, json={"code": "not_found", "ja": "", "en": ""})
        return httpx.Response(200, json=[])

    return httpx.MockTransport(handle)


def test_the_cups_state_and_reasons_are_read_from_lpstat() -> None:
    assert parse_lpstat_long(LPSTAT_OUT_OF_PAPER) == (
        "idle", ["media-empty-error", "media-needed-warning"],
    )  # fmt: skip
    assert parse_lpstat_long(LPSTAT_DISABLED) == ("stopped", ["paused"])
    assert parse_lpstat_long(LPSTAT_PRINTING) == ("processing", [])


def test_the_heartbeat_says_what_the_kiosk_knows(tmp_path: Path) -> None:
    clock = Clock()
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        sender = HeartbeatSender(
            outbox,
            reader_present=lambda: True,
            printer=lambda: parse_lpstat_long(LPSTAT_OUT_OF_PAPER),
            version="1.2.3",
            clock=clock.office(),
        )
        beat = sender.beat()
    assert beat.app_version == "1.2.3" and beat.reader_present is True
    assert beat.printer_state.value == "idle"
    assert beat.printer_reasons == ["media-empty-error", "media-needed-warning"]
    assert beat.outbox_pending == 0 and beat.outbox_oldest_pending_s is None
    assert beat.sent_at == NOW


def test_a_failing_probe_reports_unknown_and_the_beat_still_goes(tmp_path: Path) -> None:
    def broken() -> tuple[str, list[str]]:
        raise OSError("lpstat gone")

    with Outbox(tmp_path / "o.sqlite3") as outbox:
        beat = HeartbeatSender(outbox, printer=broken, reader_present=broken).beat()  # type: ignore[arg-type]
    assert beat.printer_state.value == "unknown" and beat.reader_present is False


def test_the_sync_worker_sends_one_every_interval_with_the_last_good_sync(tmp_path: Path) -> None:
    from sync.worker import SyncWorker

    beats: list[dict] = []  # type: ignore[type-arg]
    clock = Clock()
    client = OfficeClient("https://office.example", "token", transport=_office(beats))
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        sender = HeartbeatSender(
            outbox, reader_present=lambda: True, printer=lambda: ("idle", []),
            clock=clock.office(), interval=30,
        )  # fmt: skip
        worker = SyncWorker(outbox, client, heartbeat=sender)
        worker.run_once()
        clock.now += dt.timedelta(seconds=10)
        worker.run_once()  # not due yet
        assert len(beats) == 1
        clock.now += dt.timedelta(seconds=20)
        worker.run_once()
    assert len(beats) == 2
    assert beats[1]["last_sync_at"].startswith("2026-12-03T00:30:30")
    assert beats[1]["printer_state"] == "idle" and beats[1]["reader_present"] is True


def test_the_kiosk_desk_thread_sends_heartbeats(tmp_path: Path) -> None:
    from kiosk.desk import KioskDesk
    from sync.counter_link import CounterLink

    beats: list[dict] = []  # type: ignore[type-arg]
    client = OfficeClient("https://office.example", "token", transport=_office(beats))
    sent = threading.Event()
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        sender = HeartbeatSender(
            outbox, reader_present=lambda: False,
            printer=lambda: ("stopped", ["media-empty-error"]), interval=30,
        )  # fmt: skip
        original = sender.send

        def send(c, **kw):  # type: ignore[no-untyped-def]
            ok = original(c, **kw)
            sent.set()
            return ok

        sender.send = send  # type: ignore[method-assign]
        desk = KioskDesk(CounterLink(outbox, lambda: client), heartbeat=sender).start()
        try:
            assert sent.wait(10)
        finally:
            desk.close()
    assert beats and beats[0]["printer_reasons"] == ["media-empty-error"]
    assert beats[0]["reader_present"] is False
