"""Turning one confirmed application into the outbox's ingest records.

One `IngestRecord` per template of the application (a bundle confirms several forms at
once). Each one's key is `uuid5(session id, template id)`: it exists as soon as the session
does, before any commit, and is the same on every retry and after any crash, so the back
office can deduplicate whatever the kiosk resends.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.record import SessionRecord
from sync.protocol import IngestRecord, Mode, SealedContent
from sync.sealing import seal


def ingest_key(session_id: uuid.UUID, template_id: str) -> uuid.UUID:
    return uuid.uuid5(session_id, template_id)


def make_ingest_records(
    record: SessionRecord,
    filled: list[tuple[str, int]],
    pdf: bytes,
    *,
    kiosk_id: str,
    mode: Mode | str,
    reception_number: str,
    office_public_key: X25519PublicKey,
    measurement: dict[str, Any] | None = None,
    created_at: dt.datetime | None = None,
) -> list[IngestRecord]:
    """Seal the record and the PDF once per template; `filled` is [(template id, version)]."""
    if not filled:
        raise ValueError("an application needs at least one template")
    ids = [template_id for template_id, _ in filled]
    if len(set(ids)) != len(ids):
        raise ValueError("a template appears twice in one application")
    created = (created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    record_json = record.model_dump(mode="json")
    pdf_text = base64.b64encode(pdf).decode("ascii")
    out = []
    for template_id, version in filled:
        content = SealedContent(record=record_json, pdf=pdf_text, measurement=measurement or {})
        out.append(
            IngestRecord(
                uuid=ingest_key(record.id, template_id),
                template_id=template_id,
                template_version=version,
                kiosk_id=kiosk_id,
                mode=Mode(mode),
                created_at=created,
                reception_number=reception_number,
                sealed=seal(content, office_public_key),
            )
        )
    return out
