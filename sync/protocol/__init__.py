"""The wire protocol between kiosks and the back office (JSON over HTTPS, version 1).

Shared by `sync/` (the kiosk side) and `backoffice/` (which may import only this module of
`sync`). Every model forbids unknown fields so a malformed body is refused, not half-read.

Ingest:  POST /api/v1/ingest            body IngestBatch, answers IngestResponse (200)
         Authorization: Bearer <terminal token>. One result per record, in order:
         a record refused for its content does not fail the batch.
         A batch with a record that breaks the bounds below answers 422 `IngestRefusal`,
         naming each such record (index, and its UUID when readable) as REJECTED: nothing
         of the batch is stored, and the kiosk sets those records aside and resends the rest.
Templates: GET /api/v1/templates         answers list[TemplateInfo]
           GET /api/v1/templates/{id}/{version}  answers the template YAML (text/yaml)

Bounds: every integer, date and identifier that reaches the back office's database is
bounded here, in the schema, so that a request the schema accepts never breaks a column
(integers fit PostgreSQL's INTEGER, datetimes convert to UTC and stay within the years a
counter can see, identifiers hold no control character: PostgreSQL refuses NUL in text).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID  # a field named `uuid` with a default hides the module below it

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
MAX_BATCH = 100
MAX_SEALED_BYTES = 8 * 1024 * 1024  # one application: record + signature + PDF, sealed

# -- bounds shared by every role's wire types ----------------------------------------------

INT32_MAX = 2**31 - 1  # PostgreSQL INTEGER: the type of the back office's integer columns
# A kiosk whose clock was reset reads 1970; nothing a counter handles is dated past 2199.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)  # exclusive
EARLIEST_DATE = EARLIEST.date()
LATEST_DATE = dt.date(2199, 12, 31)
# One line of text: no C0 or C1 control character (NUL included).
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
# Free text of several lines: tab, LF and CR allowed, no other control character.
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def _utc_in_range(value: dt.datetime) -> dt.datetime:
    """Refuse a datetime outside [EARLIEST, LATEST) in UTC; the value itself is kept as sent
    (the body's digest is computed from it, so normalising it would turn replays into
    conflicts). A naive value counts as UTC."""
    try:
        utc = value.astimezone(dt.UTC) if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ValueError(f"must lie in {EARLIEST:%Y-%m-%d}..{LATEST:%Y-%m-%d} (UTC, end excluded)")
    return value


WireDateTime = Annotated[dt.datetime, AfterValidator(_utc_in_range)]
WireDate = Annotated[dt.date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]
WireInt = Annotated[int, Field(ge=0, le=INT32_MAX)]
Version = Annotated[int, Field(ge=1, le=INT32_MAX)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class Mode(StrEnum):
    RESIDENT = "resident"  # the resident drove the kiosk
    STAFF = "staff"  # counter staff drove it (staff-assisted mode)


class IngestRecord(_Wire):
    """One confirmed application, sealed (HPKE) to the back office's public key.

    `uuid` is the idempotency key, made before the kiosk's commit and resent unchanged on
    every retry together with the identical body; the back office keeps it UNIQUE.
    """

    uuid: uuid.UUID  # = ingest_key(the sealed record's id, template_id): checked on arrival
    template_id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    template_version: Version
    kiosk_id: str = Field(min_length=1, max_length=64, pattern=ONE_LINE)
    mode: Mode
    created_at: WireDateTime
    reception_number: str = Field(min_length=1, max_length=32, pattern=ONE_LINE)  # on the slip
    call_number: str | None = Field(default=None, pattern=r"^[A-Z]-\d{1,3}$")  # the visit's
    sealed: str = Field(min_length=1, max_length=MAX_SEALED_BYTES * 4 // 3 + 4)  # base64


class IngestBatch(_Wire):
    records: list[IngestRecord] = Field(min_length=1, max_length=MAX_BATCH)


class ResultStatus(StrEnum):
    ACCEPTED = "accepted"  # stored now
    DUPLICATE = "duplicate"  # the same key and body arrived before: the original receipt
    CONFLICT = "conflict"  # the same key with a different body: refused, nothing changed
    REJECTED = "rejected"  # refused for its content (unknown template version, bad seal…)


class WireError(_Wire):
    code: str
    ja: str
    en: str


class IngestResult(_Wire):
    uuid: uuid.UUID
    status: ResultStatus
    receipt_number: str | None = None
    error: WireError | None = None


class IngestResponse(_Wire):
    results: list[IngestResult]


class RecordRefusal(_Wire):
    """One record of a batch that does not match the wire schema (inside a 422 answer)."""

    index: int = Field(ge=0)  # its position in the batch
    uuid: UUID | None = None  # its key, when that much of it could be read
    status: Literal[ResultStatus.REJECTED] = ResultStatus.REJECTED
    error: WireError


class IngestRefusal(_Wire):
    """The 422 answer of ingest: nothing of the batch was stored. `results` names each record
    at fault; when it is empty the batch as a whole is malformed."""

    code: str
    ja: str
    en: str
    problems: list[str] = Field(default_factory=list)
    results: list[RecordRefusal] = Field(default_factory=list)


def ingest_key(session_id: uuid.UUID, template_id: str) -> uuid.UUID:
    """The idempotency key of one form of one kiosk session: made before any commit, the
    same on every retry, and checked by the back office against the sealed record."""
    return uuid.uuid5(session_id, template_id)


class TemplateInfo(_Wire):
    id: str
    version: int
    sha256: str  # of the YAML text, so a kiosk can tell a changed cache
    published_at: dt.datetime


class SealedContent(_Wire):
    """What `IngestRecord.sealed` decrypts to (JSON, then HPKE-sealed, then base64)."""

    format: Literal[1] = 1
    record: dict  # SessionRecord JSON (forms.record)
    pdf: str  # base64 of the printed PDF
    measurement: dict = Field(default_factory=dict)  # seconds per step, chars typed/prefilled
