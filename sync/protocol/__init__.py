"""The wire protocol between kiosks and the back office (JSON over HTTPS, version 1).

Shared by `sync/` (the kiosk side) and `backoffice/` (which may import only this module of
`sync`). Every model forbids unknown fields so a malformed body is refused, not half-read.

Ingest:  POST /api/v1/ingest            body IngestBatch, answers IngestResponse (200)
         Authorization: Bearer <terminal token>. One result per record, in order:
         a record refused for its content does not fail the batch.
Templates: GET /api/v1/templates         answers list[TemplateInfo]
           GET /api/v1/templates/{id}/{version}  answers the template YAML (text/yaml)
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
MAX_BATCH = 100
MAX_SEALED_BYTES = 8 * 1024 * 1024  # one application: record + signature + PDF, sealed


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

    uuid: uuid.UUID
    template_id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    template_version: int = Field(ge=1)
    kiosk_id: str = Field(min_length=1, max_length=64)
    mode: Mode
    created_at: dt.datetime
    reception_number: str = Field(min_length=1, max_length=32)  # printed on the slip
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
