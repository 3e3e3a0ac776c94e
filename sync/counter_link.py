"""The kiosk's side of the counter endpoints (`sync.protocol.counter`), with its own fallbacks.

- **Call numbers.** At confirm the kiosk asks the back office for the visit's short number
  ("A-023") and the routing of its procedures. When the back office cannot be reached, the
  kiosk issues a number itself, from the letter reserved for it (a kiosk setting, e.g. "K"
  for one kiosk and "L" for the next), counting per office day in its own SQLite (the outbox
  file): two kiosks never meet, and neither meets the back office's letters. The routing then
  comes from the cache.
- **Routing.** Cached in the outbox file: refreshed by every call-number answer and by the
  sync worker's pass (`pull_routing`), read when offline. A procedure with no routing goes to
  the reception (`DEFAULT_ROUTING`).
- **Alerts.** 職員を呼ぶ and machine faults are written to the outbox file first, then sent
  (`send_alerts`) by a sender thread or the sync worker; kept while the back office is down,
  sent once it is back. The back office dedups on the alert's id.

Every method does I/O: call them off the GUI thread. Nothing here handles personal data.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.clock import OfficeClock, office_clock
from sync.errors import OfficeError
from sync.protocol.counter import (
    AlertCreate,
    AlertKind,
    CallNumberRequest,
    RoutingEntry,
    format_call_number,
)

if TYPE_CHECKING:  # httpx and SQLAlchemy load when first used, not with the kiosk's window
    from sync.client import OfficeClient
    from sync.outbox import Outbox

log = logging.getLogger(__name__)

DEFAULT_ROUTING = RoutingEntry(
    template_id="reception", counter="受付", section_ja="総合案内", section_en="Reception"
)
DETAIL_MAX = 200


@dataclass(frozen=True)
class IssuedCall:
    """A visit's call number and where each of its procedures is handled."""

    number: str  # "A-023"
    routing: tuple[RoutingEntry, ...]  # one per procedure, in the order asked
    offline: bool  # issued by the kiosk itself from its reserved letter

    def counters(self) -> list[RoutingEntry]:
        """Each counter once, in the order the procedures first name it."""
        seen: dict[tuple[str, str], RoutingEntry] = {}
        for entry in self.routing:
            seen.setdefault((entry.counter, entry.section_ja), entry)
        return list(seen.values())


class CounterLink:
    """Call numbers, routing and alerts for one kiosk.

    `outbox` is the kiosk's outbox (or a callable opening it on first use); `client` gives the
    office client, or None while there is none (no back office configured or started yet).
    """

    def __init__(
        self,
        outbox: Outbox | Callable[[], Outbox],
        client: Callable[[], OfficeClient | None],
        *,
        offline_letter: str,
        clock: OfficeClock | None = None,
    ) -> None:
        if len(offline_letter) != 1 or not "A" <= offline_letter <= "Z":
            raise ValueError("the offline letter is one of A-Z")
        self._outbox = outbox
        self._client = client
        self.offline_letter = offline_letter
        self.clock = clock or office_clock()

    def __repr__(self) -> str:
        return f"CounterLink(offline_letter={self.offline_letter!r})"

    @property
    def outbox(self) -> Outbox:
        source = self._outbox
        return source() if callable(source) else source

    # ---- call numbers ----------------------------------------------------------------------

    def issue(self, visit: str, procedures: list[str]) -> IssuedCall:
        """The visit's number: from the back office when it answers, else the kiosk's own."""
        client = self._client()
        if client is not None:
            try:
                issued = client.call_number(CallNumberRequest(visit=visit, procedures=procedures))
            except OfficeError as exc:
                log.warning("call number: back office unavailable (%s); issuing offline", exc.code)
            else:
                self._cache(issued.routing)
                return IssuedCall(issued.call_number, tuple(issued.routing), offline=False)
        number = self.outbox.next_offline_call_number(self.offline_letter, self.clock.today())
        return IssuedCall(
            format_call_number(self.offline_letter, number),
            tuple(self.cached_routing(procedures)),
            offline=True,
        )

    # ---- routing ---------------------------------------------------------------------------

    def cached_routing(self, procedures: list[str]) -> list[RoutingEntry]:
        cache = self.outbox.routing()
        out = []
        for template_id in procedures:
            body = cache.get(template_id)
            entry = RoutingEntry.model_validate_json(body) if body else None
            out.append(entry or DEFAULT_ROUTING.model_copy(update={"template_id": template_id}))
        return out

    def _cache(self, entries: list[RoutingEntry]) -> None:
        self.outbox.merge_routing((e.template_id, e.model_dump_json()) for e in entries)

    def pull_routing(self) -> int:
        """Refresh the whole cache from the back office; the count, or -1 when unreachable."""
        client = self._client()
        if client is None:
            return -1
        try:
            entries = client.routing()
        except OfficeError as exc:
            log.info("routing pull: %s", exc.code)
            return -1
        self.outbox.save_routing((e.template_id, e.model_dump_json()) for e in entries)
        return len(entries)

    # ---- alerts ----------------------------------------------------------------------------

    def queue_alert(
        self, kind: AlertKind, *, step: str | None = None, detail: str = ""
    ) -> uuid.UUID:
        """Keep one alert for sending; its id (the same id on every retry)."""
        clean = "".join(c if c.isprintable() else " " for c in detail)[:DETAIL_MAX]
        alert = AlertCreate(
            id=uuid.uuid4(),
            kind=kind,
            step=step[:32] if step else None,
            detail=clean,
            raised_at=self.clock.now(),
        )
        self.outbox.add_alert(alert.id, alert.model_dump_json())
        return alert.id

    def send_alerts(self) -> int:
        """Send what is pending, oldest first; stops at the first failure (kept for the next
        try). Returns how many were sent."""
        client = self._client()
        if client is None:
            return 0
        sent = 0
        for pending in self.outbox.pending_alerts():
            alert = AlertCreate.model_validate_json(pending.body)
            try:
                client.raise_alert(alert)
            except OfficeError as exc:
                self.outbox.alert_attempted(pending.uuid, sent=False)
                log.info("alert kept for later: %s", exc.code)
                break
            self.outbox.alert_attempted(pending.uuid, sent=True, now=self.clock.now())
            sent += 1
        return sent

    def pending_alerts(self) -> int:
        return len(self.outbox.pending_alerts())
