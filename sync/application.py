"""Turning one confirmed application into the outbox's ingest records.

One `IngestRecord` per template of the application (a bundle confirms several forms at
once). Each one's key is `uuid5(session id, template id)`: it exists as soon as the session
does, before any commit, and is the same on every retry and after any crash, so the back
office can deduplicate whatever the kiosk resends.

Each row seals only its own form: its own PDF (`pdfs[template id]`) and its own record
(`forms.payload.prune.record_for_form`), so a form that has no legal basis for the individual
number never carries it, nor another form's pages or data.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.clock import office_clock
from forms.payload.prune import record_for_form
from forms.record import SessionRecord
from forms.template import Template
from sync.protocol import IngestRecord, Mode, SealedContent, ingest_key
from sync.sealing import seal

__all__ = ["ingest_key", "make_ingest_records"]


def make_ingest_records(
    record: SessionRecord,
    templates: list[Template],
    pdfs: Mapping[str, bytes],
    *,
    kiosk_id: str,
    mode: Mode | str,
    reception_number: str,
    office_public_key: X25519PublicKey,
    measurement: dict[str, Any] | None = None,
    created_at: dt.datetime | None = None,
    call_number: str | None = None,
) -> list[IngestRecord]:
    """Seal, per template, the record pruned to that form and that form's own PDF.

    `pdfs` maps each template id to that form's PDF alone. The pruning happens here, for every
    caller: the individual number only reaches a form that declares a legal need for it.
    """
    if not templates:
        raise ValueError("an application needs at least one template")
    ids = [t.id for t in templates]
    if len(set(ids)) != len(ids):
        raise ValueError("a template appears twice in one application")
    if set(pdfs) != set(ids):
        raise ValueError("pdfs must hold exactly one PDF per template of the application")
    created = (created_at or office_clock().now()).astimezone(dt.UTC)
    out = []
    for template in templates:
        content = SealedContent(
            record=record_for_form(record, template).model_dump(mode="json"),
            pdf=base64.b64encode(pdfs[template.id]).decode("ascii"),
            measurement=measurement or {},
        )
        out.append(
            IngestRecord(
                uuid=ingest_key(record.id, template.id),
                template_id=template.id,
                template_version=template.version,
                kiosk_id=kiosk_id,
                mode=Mode(mode),
                created_at=created,
                reception_number=reception_number,
                call_number=call_number,
                sealed=seal(content, office_public_key),
            )
        )
    return out
