"""The kiosk's link to the reception: call-staff alerts, and the routing kept fresh.

`KioskDesk` is the `kiosk.ports.CounterDesk` of a real kiosk: an alert is written to the
kiosk's SQLite first (`sync.counter_link.CounterLink.queue_alert`), then sent by the desk's
own sender thread, at once when the back office answers, else again and again (backing off
up to `MAX_WAIT_S`) until it does: a press of 職員を呼ぶ while the network is down reaches the
reception when it is back. The same thread pulls the routing and the kiosk's reserved
offline letter at start and every `ROUTING_EVERY_S`, for the call numbers the kiosk must
issue offline, and sends the kiosk's heartbeat (`sync.heartbeat`) every 30 s.

Nothing here runs on the GUI thread: the window calls `raise_alert` on a lane, and the
sender has its own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from forms.errors import MadoguchiError
from sync.counter_link import CounterLink

if TYPE_CHECKING:
    from sync.heartbeat import HeartbeatSender

log = logging.getLogger(__name__)

FIRST_WAIT_S = 2.0
MAX_WAIT_S = 60.0
ROUTING_EVERY_S = 600.0


class KioskDesk:
    def __init__(
        self,
        link: CounterLink,
        *,
        clock: Callable[[], float] = time.monotonic,
        first_wait_s: float = FIRST_WAIT_S,
        max_wait_s: float = MAX_WAIT_S,
        heartbeat: HeartbeatSender | None = None,
    ) -> None:
        self.link = link
        self.heartbeat = heartbeat
        self.clock = clock
        self.first_wait_s = first_wait_s
        self.max_wait_s = max_wait_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent = 0  # alerts delivered since start (a count)

    def __repr__(self) -> str:
        return f"KioskDesk({self.link!r}, sent={self.sent})"

    # ---- the port ----------------------------------------------------------------------

    def raise_alert(self, kind: str, *, step: str | None = None, detail: str = "") -> None:
        from sync.protocol.counter import AlertKind

        self.link.queue_alert(AlertKind(kind), step=step, detail=detail)
        self._wake.set()

    def pending(self) -> int:
        return self.link.pending_alerts()

    # ---- the sender thread -------------------------------------------------------------

    def start(self) -> KioskDesk:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kiosk-desk", daemon=True)
            self._thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        wait = self.first_wait_s
        next_routing = self.clock()
        while not self._stop.is_set():
            try:
                behind = False
                if self.clock() >= next_routing:
                    if self.link.pull_routing() >= 0:
                        next_routing = self.clock() + ROUTING_EVERY_S
                        self.link.learn_offline_letter()
                    else:
                        behind = True  # no back office yet: try again soon
                self.sent += self.link.send_alerts()
                left = self.link.pending_alerts() + behind
                client = self.link.client() if self.heartbeat is not None else None
                if self.heartbeat is not None and client is not None:
                    self.heartbeat.send(client)
            except MadoguchiError as exc:  # the outbox file unusable: try again later
                log.warning("kiosk desk: %s", exc.code)
                left = 1
            except Exception as exc:  # never let the thread die silently; the type only
                log.error("kiosk desk: %s", type(exc).__name__)
                left = 1
            wait = min(self.max_wait_s, wait * 2) if left else self.first_wait_s
            idle = min(ROUTING_EVERY_S, self.max_wait_s)
            if self.heartbeat is not None:
                idle = min(idle, self.heartbeat.interval.total_seconds())
            self._wake.wait(wait if left else idle)
            self._wake.clear()
