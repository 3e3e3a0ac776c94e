"""Request and response bodies of the staff, admin and core-system API (the kiosk's wire
types are in `sync.protocol`). Requests forbid unknown fields, and every text a request
stores or looks up is bounded like the kiosk's (`sync.protocol.ONE_LINE`/`MULTI_LINE`: no
control character, which PostgreSQL would refuse as NUL).

The back office declares its routes with these types; the reception terminal and the template
editor read the same types through `sync.client`. No SQLAlchemy and no FastAPI here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sync.protocol import MULTI_LINE, ONE_LINE
from sync.protocol.vocabulary import Role, Status


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorBody(_Out):
    code: str
    ja: str
    en: str
    problems: list[str] | None = None


# -- auth -----------------------------------------------------------------------------------


class LoginRequest(_In):
    username: str = Field(min_length=1, max_length=64, pattern=ONE_LINE)
    password: str = Field(min_length=1, max_length=1024)


class LoginResponse(_Out):
    token: str
    token_type: str = "bearer"
    role: Role
    expires_at: dt.datetime


class WhoAmI(_Out):
    kind: str
    name: str
    role: Role
    # A kiosk's reserved call-number letter for when the back office is out of reach.
    offline_letter: str | None = None


# -- applications -----------------------------------------------------------------------


class Source(StrEnum):
    KIOSK = "kiosk"  # arrived through the kiosk's sync
    PAPER = "paper"  # imported from a printed form's data QR


class ApplicationSummary(_Out):
    receipt_number: str
    uuid: uuid.UUID
    template_id: str
    template_version: int
    status: Status
    received_at: dt.datetime
    created_at: dt.datetime
    kiosk_id: str
    terminal: str
    mode: str
    reception_number: str
    status_changed_at: dt.datetime
    status_changed_by: str
    return_reason: str | None = None
    source: Source = Source.KIOSK  # kiosk sync, or a printed form's data QR scanned back in
    has_pdf: bool = True  # False for a paper import until the kiosk's copy arrives
    called_at: dt.datetime | None = None  # last call to the counter (呼出し)
    paper_imported_by: str | None = None
    call_number: str | None = None  # the visit's short call number ("A-023"), if it had one


class QueuePage(_Out):
    total: int
    items: list[ApplicationSummary]
    etag: str | None = None  # also the ETag header; send it back as If-None-Match


class StatusChangePublic(_Out):
    from_status: Status | None
    to_status: Status
    reason: str | None
    actor: str
    at: dt.datetime


class DocumentKind(StrEnum):
    """Identity documents reception staff may check (本人確認書類)."""

    MY_NUMBER_CARD = "my_number_card"
    DRIVERS_LICENCE = "drivers_licence"
    PASSPORT = "passport"
    RESIDENCE_CARD = "residence_card"
    HEALTH_INSURANCE_CARD = "health_insurance_card"
    OTHER = "other"


class IdentityCheckCreate(_In):
    document: DocumentKind
    # Which document, when `other` (e.g. 年金手帳): a document name, never its number.
    note: str | None = Field(default=None, max_length=100, pattern=ONE_LINE)


class IdentityCheckPublic(_Out):
    document: DocumentKind
    note: str | None = None
    actor: str
    at: dt.datetime


class FieldText(_Out):
    ref: str
    label: str
    text: str


class ApplicationDetail(ApplicationSummary):
    title: str
    record: dict[str, Any]  # forms.record.SessionRecord as JSON
    fields: list[FieldText]  # the filled form as printed
    columns: dict[str, str]  # the template's export mapping
    fee_yen: int
    history: list[StatusChangePublic]
    identity_checks: list[IdentityCheckPublic]
    pdf_url: str


class StatusUpdate(_In):
    status: Status
    reason: str | None = Field(default=None, max_length=1000, pattern=MULTI_LINE)


# -- accounts ---------------------------------------------------------------------------

NAME_FIELD = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class TerminalCreate(_In):
    name: str = NAME_FIELD
    role: Role = Role.KIOSK
    # The kiosk's Ed25519 public key (PEM) that signs the data QR on its printed pages.
    signing_public_key_pem: str | None = Field(default=None, max_length=1000, pattern=MULTI_LINE)


class TerminalPublic(_Out):
    name: str
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    signing_key_fingerprint: str | None = None
    # A kiosk's reserved call-number letter (sync.protocol.counter.OFFLINE_LETTERS): it issues
    # "Z-001"… while offline, and the back office never issues that letter.
    offline_letter: str | None = None
    # A core system's credential made through the API waits for a second person to activate it.
    pending: bool = False
    created_by: str | None = None
    activated_by: str | None = None


class TerminalCreated(TerminalPublic):
    token: str  # shown once; the server keeps only its hash


class UserCreate(_In):
    username: str = NAME_FIELD
    role: Role
    password: str = Field(min_length=1, max_length=1024)


class UserPublic(_Out):
    username: str
    role: Role
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    # Made through the API: pending until another admin (or the server's command line)
    # activates it; it cannot sign in meanwhile.
    pending: bool = False
    created_by: str | None = None
    activated_by: str | None = None


class AuditEntryPublic(_Out):
    at: dt.datetime
    actor: str
    action: str
    target: str


# -- paper import, call board, measurement -------------------------------------------------


class PaperImportRequest(_In):
    """The digits of a printed form's data QR, as the scanner or image decoder read them."""

    digits: str = Field(min_length=1, max_length=8000, pattern=ONE_LINE)


class PaperOutcome(StrEnum):
    IMPORTED = "imported"  # a new application made from the paper
    EXISTING = "existing"  # already here (synced or imported before): opened, nothing stored


class PaperImportItem(_Out):
    template_id: str
    template_version: int
    receipt_number: str
    outcome: PaperOutcome


class PaperImportResult(_Out):
    items: list[PaperImportItem]
    signer: str  # the terminal whose key signed the QR


class BoardState(StrEnum):
    WAITING = "waiting"  # 受付中
    CALLED = "called"  # お呼び出し
    DONE = "done"  # 完了

    @property
    def ja(self) -> str:
        return {"waiting": "受付中", "called": "お呼び出し", "done": "完了"}[self.value]


class CallBoardEntry(_Out):
    """One visit on the board. `number` is what the board shows: the visit's short call number
    ("A-023") when it has one, else its reception number (a paper import, an older kiosk).
    `counter` is where it is called to (the routing of its procedures), None when unrouted."""

    reception_number: str
    state: BoardState
    called_at: dt.datetime | None = None
    call_number: str | None = None
    counter: str | None = None

    @property
    def number(self) -> str:
        return self.call_number or self.reception_number


class CallBoard(_Out):
    """Today's reception numbers with their state: no names, no receipt numbers, no forms."""

    day: dt.date
    entries: list[CallBoardEntry]


class MeasurementRow(_Out):
    """Totals of the kiosks' built-in measurement for one day and one procedure (template).

    A session that produced several forms (a life-event bundle) counts in each of them.
    """

    day: dt.date
    template_id: str
    applications: int
    measured: int  # applications that carried a measurement
    typed_chars: int
    prefilled_chars: int
    step_seconds: dict[str, float]  # summed over the measured applications


class VisitTiming(_Out):
    """One kiosk visit (its forms together): when the resident started at the kiosk (the
    confirm time less the measured seconds) and when its last form was taken to 完了 (None
    while any is open). Times only: no numbers, no names."""

    started_at: dt.datetime
    done_at: dt.datetime | None = None
    forms: int = 1


class MeasurementTotals(_Out):
    date_from: dt.date
    date_to: dt.date
    rows: list[MeasurementRow]
    visits: list[VisitTiming] = []


# -- service ----------------------------------------------------------------------------


class Health(_Out):
    status: str
    database: str
    schema_revision: str | None
    templates: int


class OfficeKey(_Out):
    public_key_pem: str
    fingerprint: str
    suite: str = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM"


class OfficeKeyInfo(_Out):
    """One office key pair's public half and history (`GET /office-keys`)."""

    fingerprint: str
    public_key_pem: str
    created_at: dt.datetime
    superseded_at: dt.datetime | None = None
    retired_at: dt.datetime | None = None


class OfficeKeys(_Out):
    """The key kiosks seal new records to (`current`), and every key the office has had,
    newest first. Pulled by the kiosk's sync worker; older keys still open what was sealed
    to them until retired."""

    current: OfficeKey
    keys: list[OfficeKeyInfo]
