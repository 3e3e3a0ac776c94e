"""Turning one confirmed application into the outbox's ingest records.

One `IngestRecord` per template of the application (a bundle confirms several forms at
once). Each one's key is `uuid5(session id, template id)`: it exists as soon as the session
does, before any commit, and is the same on every retry and after any crash, so the back
office can deduplicate whatever the kiosk resends.

Each row seals only its own form: its own PDF (`pdfs[template id]`) and, for an application of
several forms, its own record (`forms.payload.prune.record_for_form`), so a form that has no
legal basis for the individual number never carries another form's pages or data.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Mapping
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
    pdfs: Mapping[str, bytes],
    *,
    records: Mapping[str, SessionRecord] | None = None,
    kiosk_id: str,
    mode: Mode | str,
    reception_number: str,
    office_public_key: X25519PublicKey,
    measurement: dict[str, Any] | None = None,
    created_at: dt.datetime | None = None,
) -> list[IngestRecord]:
    """Seal one record and one PDF per template; `filled` is [(template id, version)].

    `pdfs` maps each template id to that form's PDF alone. `records` maps each template id to
    the record pruned to that form; it is required when `filled` names several templates
    (the whole session record would leak one form's data into the others).
    """
    if not filled:
        raise ValueError("an application needs at least one template")
    ids = [template_id for template_id, _ in filled]
    if len(set(ids)) != len(ids):
        raise ValueError("a template appears twice in one application")
    if set(pdfs) != set(ids):
        raise ValueError("pdfs must hold exactly one PDF per template of the application")
    if records is None:
        if len(ids) > 1:
            raise ValueError("an application of several forms needs one record per form")
        records = {ids[0]: record}
    if set(records) != set(ids):
        raise ValueError("records must hold exactly one record per template of the application")
    if any(r.id != record.id for r in records.values()):
        raise ValueError("every form's record must belong to the same session")
    created = (created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    out = []
    for template_id, version in filled:
        content = SealedContent(
            record=records[template_id].model_dump(mode="json"),
            pdf=base64.b64encode(pdfs[template_id]).decode("ascii"),
            measurement=measurement or {},
        )
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
