"""The counter's wire types: call numbers and routing, call-staff alerts, kiosk heartbeats.

    POST /api/v1/call-numbers          kiosk   CallNumberRequest → CallNumberIssued
    GET  /api/v1/routing               any     → list[RoutingEntry]
    PUT  /api/v1/routing               admin   list[RoutingEntry] → list[RoutingEntry]
    POST /api/v1/alerts                kiosk   AlertCreate → AlertPublic (idempotent by id)
    GET  /api/v1/alerts?open=true      staff   → list[AlertPublic]
    POST /api/v1/alerts/{id}/ack       staff   → AlertPublic (acknowledged once, by one person)
    POST /api/v1/heartbeats            kiosk   Heartbeat → 204
    GET  /api/v1/terminals/status      staff   → list[TerminalStatus]

A call number is a letter and at most three digits ("A-023"), unique per office per office
day (forms.clock). The back office issues it while the kiosk is online; an offline kiosk
issues it from the letter reserved for it (`TerminalPublic.offline_letter`), so the two never
meet. Nothing here carries personal data: alerts and heartbeats describe machines, and their
free text is bounded and free of control characters.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

CALL_NUMBER_PATTERN = r"^[A-Z]-\d{1,3}$"
LETTER_PATTERN = r"^[A-Z]$"
TEMPLATE_ID = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
PLAIN_TEXT = r"^[^\x00-\x1f\x7f]*$"  # no control characters
TemplateId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
# A CUPS printer-state-reason such as "media-empty-error" (RFC 8011 keywords, vendor ones too).
MachineWord = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
]
# The back office issues its own call numbers from these letters; kiosks are given an offline
# letter from the others (no I or O: on a board they read as 1 and 0).
ONLINE_LETTERS = "ABCDEFGH"
OFFLINE_LETTERS = "ZYXWVUTSRQPNMLKJ"
SILENT_AFTER_S = 120  # a kiosk without a heartbeat this long is shown grey


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def format_call_number(letter: str, number: int) -> str:
    """ "A", 23 → "A-023" (the form every screen, slip and board shows)."""
    if len(letter) != 1 or not "A" <= letter <= "Z" or not 1 <= number <= 999:
        raise ValueError("a call number is one letter A-Z and 1-999")
    return f"{letter}-{number:03d}"


# -- call numbers and routing -------------------------------------------------------------


class RoutingEntry(_In):
    """Where the residents of one procedure go: counter number and section (admin config)."""

    template_id: str = TEMPLATE_ID
    counter: str = Field(min_length=1, max_length=8, pattern=PLAIN_TEXT)  # "3", "3・4"
    section_ja: str = Field(min_length=1, max_length=40, pattern=PLAIN_TEXT)  # 市民課 住民記録係
    section_en: str = Field(min_length=1, max_length=60, pattern=PLAIN_TEXT)


class CallNumberRequest(_In):
    """Asked by a kiosk at confirm: one number for the whole visit (all its forms)."""

    visit: str = Field(min_length=1, max_length=32, pattern=PLAIN_TEXT)  # kiosk reception no.
    procedures: list[TemplateId] = Field(min_length=1, max_length=40)


class CallNumberIssued(_Out):
    call_number: str = Field(pattern=CALL_NUMBER_PATTERN)
    day: dt.date  # the office day it is unique in
    routing: list[RoutingEntry]  # for the visit's procedures, in the order asked


# -- call-staff alerts ----------------------------------------------------------------------


class AlertKind(StrEnum):
    CALL_STAFF = "call_staff"  # the resident pressed 職員を呼ぶ
    PRINTER = "printer"  # the printer stopped (out of paper, jam, …)
    CARD_READER = "card_reader"  # reader unplugged or failing
    NETWORK = "network"  # the back office is unreachable
    OTHER = "other"


class AlertCreate(_In):
    id: uuid.UUID  # made on the kiosk: a retry after a lost answer is the same alert
    kind: AlertKind
    step: str | None = Field(default=None, max_length=32, pattern=PLAIN_TEXT)  # screen shown
    detail: str = Field(default="", max_length=200, pattern=PLAIN_TEXT)  # technical, no data
    raised_at: AwareDatetime


class AlertPublic(_Out):
    id: uuid.UUID
    kiosk: str
    kind: AlertKind
    step: str | None
    detail: str
    raised_at: dt.datetime
    received_at: dt.datetime
    acknowledged_by: str | None = None
    acknowledged_at: dt.datetime | None = None


# -- heartbeats -----------------------------------------------------------------------------


class PrinterState(StrEnum):
    IDLE = "idle"
    PROCESSING = "processing"
    STOPPED = "stopped"
    UNKNOWN = "unknown"


class Heartbeat(_In):
    app_version: str = Field(max_length=40, pattern=PLAIN_TEXT)
    reader_present: bool
    printer_state: PrinterState
    printer_reasons: list[MachineWord] = Field(default_factory=list, max_length=16)
    outbox_pending: int = Field(ge=0, le=10_000_000)
    outbox_oldest_pending_s: float | None = Field(default=None, ge=0, le=10 * 365 * 86400)
    last_sync_at: AwareDatetime | None = None
    sent_at: AwareDatetime


class TerminalStatus(_Out):
    name: str
    last_seen_at: dt.datetime | None
    silent: bool  # no heartbeat for 2 minutes: shown grey
    needs_attention: list[str]  # machine words: printer:media-empty, reader:absent, outbox:…
    heartbeat: Heartbeat | None = None
