"""Request and response bodies of the staff, admin and core-system API (the kiosk's wire
types are in `sync.protocol`). Requests forbid unknown fields."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backoffice.models import Role, Status


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
    username: str = Field(min_length=1, max_length=64)
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


# -- applications -----------------------------------------------------------------------


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


class QueuePage(_Out):
    total: int
    items: list[ApplicationSummary]


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


class IdentityCheckPublic(_Out):
    document: DocumentKind
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
    reason: str | None = Field(default=None, max_length=1000)


# -- accounts ---------------------------------------------------------------------------

NAME_FIELD = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class TerminalCreate(_In):
    name: str = NAME_FIELD
    role: Role = Role.KIOSK


class TerminalPublic(_Out):
    name: str
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None


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


class AuditEntryPublic(_Out):
    at: dt.datetime
    actor: str
    action: str
    target: str


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
