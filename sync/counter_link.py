"""The kiosk's side of the counter endpoints (`sync.protocol.counter`), with its own fallbacks.

- **Call numbers.** At confirm the kiosk asks the back office for the visit's short number
  ("A-023") and the routing of its procedures. When the back office cannot be reached, the
  kiosk issues a number itself, from the letter reserved for it, counting per office day in
  its own SQLite (the outbox file): two kiosks never meet, and neither meets the back office's
  letters (A-H). The letter is the one the back office reserved for this kiosk (`/auth/me`,
  learned by `learn_offline_letter` and kept in the outbox file), else the kiosk's setting;
  a kiosk that knows neither issues none offline (its slip leads with the reception number).
  The routing then comes from the cache.
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

if TYPE_CHECKING:  # httpx, SQLAlchemy and the wire types load when first used, not before
    # the kiosk's welcome screen shows
    from sync.client import OfficeClient
    from sync.outbox import Outbox
    from sync.protocol.counter import AlertKind, RoutingEntry

log = logging.getLogger(__name__)

DEFAULT_COUNTER = ("受付", "総合案内", "Reception")  # where an unrouted procedure goes


def default_routing(template_id: str) -> RoutingEntry:
    from sync.protocol.counter import RoutingEntry

    counter, section_ja, section_en = DEFAULT_COUNTER
    return RoutingEntry(
        template_id=template_id, counter=counter, section_ja=section_ja, section_en=section_en
    )


DETAIL_MAX = 200
LETTER_FACT = "offline_letter"


def _is_letter(text: str) -> bool:
    return len(text) == 1 and "A" <= text <= "Z"


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
        offline_letter: str | None = None,
        clock: OfficeClock | None = None,
    ) -> None:
        if offline_letter is not None and not _is_letter(offline_letter):
            raise ValueError("the offline letter is one of A-Z")
        self._outbox = outbox
        self._client = client
        self.configured_letter = offline_letter
        self.clock = clock or office_clock()

    def __repr__(self) -> str:
        return f"CounterLink(configured_letter={self.configured_letter!r})"

    def offline_letter(self) -> str | None:
        """The letter the back office reserved for this kiosk, else the configured one."""
        learned = self.outbox.fact(LETTER_FACT)
        return learned if learned and _is_letter(learned) else self.configured_letter

    def learn_offline_letter(self) -> str | None:
        """Ask the back office which letter it reserved for this kiosk, and keep it."""
        client = self._client()
        if client is None:
            return None
        try:
            letter = client.whoami().offline_letter
        except OfficeError as exc:
            log.info("offline letter: %s", exc.code)
            return None
        if letter and _is_letter(letter):
            self.outbox.set_fact(LETTER_FACT, letter)
            return letter
        return None

    def client(self) -> OfficeClient | None:
        """The office client now (None while there is none)."""
        return self._client()

    @property
    def outbox(self) -> Outbox:
        source = self._outbox
        return source() if callable(source) else source

    # ---- call numbers ----------------------------------------------------------------------

    def issue(self, visit: str, procedures: list[str]) -> IssuedCall | None:
        """The visit's number: from the back office when it answers, else the kiosk's own;
        None offline without a letter."""
        from sync.protocol.counter import CallNumberRequest, format_call_number

        client = self._client()
        if client is not None:
            try:
                issued = client.call_number(CallNumberRequest(visit=visit, procedures=procedures))
            except OfficeError as exc:
                log.warning("call number: back office unavailable (%s); issuing offline", exc.code)
            else:
                self._cache(issued.routing)
                routing = self._complete(procedures, issued.routing)
                return IssuedCall(issued.call_number, routing, offline=False)
        letter = self.offline_letter()
        if letter is None:
            log.warning("call number: offline and no letter reserved for this kiosk")
            return None
        number = self.outbox.next_offline_call_number(letter, self.clock.today())
        return IssuedCall(
            format_call_number(letter, number),
            self._complete(procedures, []),
            offline=True,
        )

    # ---- routing ---------------------------------------------------------------------------

    def cached_routing(self, procedures: list[str]) -> list[RoutingEntry]:
        return list(self._complete(procedures, []))

    def _complete(
        self, procedures: list[str], answered: list[RoutingEntry]
    ) -> tuple[RoutingEntry, ...]:
        """One entry per procedure, in order: the back office's answer, else the cache, else
        the reception (a procedure the office has not routed yet)."""
        from sync.protocol.counter import RoutingEntry

        given = {e.template_id: e for e in answered}
        cache = self.outbox.routing() if len(given) < len(set(procedures)) else {}
        out = []
        for template_id in procedures:
            entry = given.get(template_id)
            if entry is None and cache.get(template_id):
                entry = RoutingEntry.model_validate_json(cache[template_id])
            out.append(entry or default_routing(template_id))
        return tuple(out)

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
        from sync.protocol.counter import AlertCreate

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
        from sync.protocol.counter import AlertCreate

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
