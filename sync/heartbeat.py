"""The kiosk's heartbeat: what the reception terminal's 端末 tab shows of this kiosk.

Every `interval` seconds (30 by default) the sync worker sends one `Heartbeat` through the
kiosk's link (`POST /heartbeats`): the app version, whether a card reader is present, the
printer's state and its CUPS reasons (such as `media-empty-error`), the outbox backlog and the
age of its oldest pending record, and when the last sync pass succeeded. Machine state only,
never a resident's data.

The probes are callables given by whoever runs the kiosk (this package imports neither the
printing nor the devices package): `printer()` returns (state, reasons) — the kiosk passes
`printing.spool.CupsSpooler.printer_status` — and `reader_present()` a bool. A probe that
fails reports `unknown` / absent rather than stopping the heartbeat.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING

from forms.clock import OfficeClock, office_clock
from sync.errors import OfficeError
from sync.protocol.counter import Heartbeat, PrinterState

if TYPE_CHECKING:  # the kiosk's welcome screen loads this module: no httpx, no SQLAlchemy yet
    from sync.client import OfficeClient
    from sync.outbox import Outbox

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_S = 30.0
PrinterProbe = Callable[[], tuple[str, list[str]]]


def app_version() -> str:
    try:
        return metadata.version("madoguchi")[:40]
    except metadata.PackageNotFoundError:
        return "unknown"


def _printer_state(word: str) -> PrinterState:
    try:
        return PrinterState(word)
    except ValueError:
        return PrinterState.UNKNOWN


def _aware(value: object) -> dt.datetime | None:
    """The outbox's stored UTC times (datetime or ISO text) as aware datetimes."""
    if not value:
        return None
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


class HeartbeatSender:
    def __init__(
        self,
        outbox: Outbox | Callable[[], Outbox],
        *,
        reader_present: Callable[[], bool] = lambda: False,
        printer: PrinterProbe | None = None,
        version: str | None = None,
        clock: OfficeClock | None = None,
        interval: float = HEARTBEAT_INTERVAL_S,
    ) -> None:
        self._outbox = outbox
        self.reader_present = reader_present
        self.printer = printer
        self.version = version or app_version()
        self.clock = clock or office_clock()
        self.interval = dt.timedelta(seconds=interval)
        self.last_sync_at: dt.datetime | None = None
        self.last_sent_at: dt.datetime | None = None

    @property
    def outbox(self) -> Outbox:
        source = self._outbox
        return source() if callable(source) else source

    def synced(self) -> None:
        """A sync pass went through (the worker calls this)."""
        self.last_sync_at = self.clock.now()

    def beat(self) -> Heartbeat:
        now = self.clock.now()
        try:
            reader = bool(self.reader_present())
        except Exception as exc:  # a probe is hardware: never let it stop the heartbeat
            log.info("heartbeat: reader probe failed (%s)", type(exc).__name__)
            reader = False
        state, reasons = PrinterState.UNKNOWN, list[str]()
        if self.printer is not None:
            try:
                word, reasons = self.printer()
                state = _printer_state(word)
            except Exception as exc:
                log.info("heartbeat: printer probe failed (%s)", type(exc).__name__)
                state, reasons = PrinterState.UNKNOWN, []
        status = self.outbox.status()
        oldest_s = None
        oldest = _aware(status.oldest_pending_at)
        if oldest is not None:
            oldest_s = max(0.0, (now - oldest).total_seconds())
        clean = [
            r
            for r in reasons
            if r and r.replace("-", "").replace("_", "").replace(".", "").isalnum()
        ]
        return Heartbeat(
            app_version=self.version,
            reader_present=reader,
            printer_state=state,
            printer_reasons=clean[:16],
            outbox_pending=status.pending,
            outbox_oldest_pending_s=oldest_s,
            last_sync_at=self.last_sync_at or _aware(status.last_acked_at),
            sent_at=now,
        )

    def due(self) -> bool:
        return self.last_sent_at is None or self.clock.now() - self.last_sent_at >= self.interval

    def send(self, client: OfficeClient, *, force: bool = False) -> bool:
        """Send one heartbeat if one is due (or `force`); False when it could not be sent."""
        if not force and not self.due():
            return True
        try:
            client.heartbeat(self.beat())
        except OfficeError as exc:
            log.info("heartbeat not sent: %s", exc.code)
            return False
        self.last_sent_at = self.clock.now()
        return True
