"""Kiosk heartbeats and what the reception terminal's 端末 tab shows of each kiosk.

A kiosk sends a heartbeat every ~30 s through its sync link (machine state only). The back
office keeps the last one per kiosk, stamped with the office clock on arrival (the kiosk's own
clock may drift), and answers every kiosk with:

- `silent`: no heartbeat for `settings.kiosk_silent_after` (2 minutes) or never: grey;
- `needs_attention`: machine words for what needs a person, e.g. `printer:media-empty`,
  `printer:stopped`, `reader:absent`, `outbox:stuck`, `alert:call_staff`: a red marker.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models import KioskHeartbeat, Terminal
from backoffice.services import alerts
from forms.clock import OfficeClock
from sync.protocol.counter import Heartbeat, PrinterState, TerminalStatus
from sync.protocol.vocabulary import Role

# An outbox whose oldest record has waited this long is not draining.
OUTBOX_STUCK_AFTER_S = 10 * 60
OUTBOX_BACKLOG = 200
# CUPS reason suffixes: "-report" is information only; "-warning" and "-error" need a person.
_REASON_SUFFIXES = ("-error", "-warning")


def record(session: Session, kiosk: str, beat: Heartbeat, clock: OfficeClock) -> None:
    row = session.get(KioskHeartbeat, kiosk)
    if row is None:
        row = KioskHeartbeat(terminal=kiosk)
        session.add(row)
    row.received_at = clock.now()
    row.heartbeat_json = beat.model_dump_json()
    session.flush()


def printer_words(beat: Heartbeat) -> list[str]:
    """`printer:stopped` and one word per CUPS reason that needs a person
    (`media-empty-error` → `printer:media-empty`)."""
    words = ["printer:stopped"] if beat.printer_state is PrinterState.STOPPED else []
    for given in beat.printer_reasons:
        reason = given.lower()
        if reason == "none" or reason.endswith("-report"):
            continue
        for suffix in _REASON_SUFFIXES:
            reason = reason.removesuffix(suffix)
        word = f"printer:{reason}"
        if word not in words:
            words.append(word)
    return words


def attention(beat: Heartbeat) -> list[str]:
    words = printer_words(beat)
    if not beat.reader_present:
        words.append("reader:absent")
    oldest = beat.outbox_oldest_pending_s
    if oldest is not None and oldest >= OUTBOX_STUCK_AFTER_S:
        words.append("outbox:stuck")
    if beat.outbox_pending >= OUTBOX_BACKLOG:
        words.append("outbox:backlog")
    return words


def statuses(
    session: Session, clock: OfficeClock, silent_after: dt.timedelta
) -> list[TerminalStatus]:
    """Every kiosk that is not revoked, by name."""
    now = clock.now()
    kiosks = session.scalars(
        select(Terminal.name)
        .where(Terminal.role == Role.KIOSK.value, Terminal.revoked_at.is_(None))
        .order_by(Terminal.name)
    )
    beats = {b.terminal: b for b in session.scalars(select(KioskHeartbeat))}
    open_alerts = alerts.open_kinds(session)
    out = []
    for name in kiosks:
        row = beats.get(name)
        beat = Heartbeat.model_validate_json(row.heartbeat_json) if row else None
        words = attention(beat) if beat else []
        words += [f"alert:{kind}" for kind in open_alerts.get(name, [])]
        out.append(
            TerminalStatus(
                name=name,
                last_seen_at=row.received_at if row else None,
                silent=row is None or now - row.received_at >= silent_after,
                needs_attention=words,
                heartbeat=beat,
            )
        )
    return out
