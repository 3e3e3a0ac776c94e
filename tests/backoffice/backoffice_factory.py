"""Building sealed ingest records from the shipped sample residents, for the back-office tests."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
from functools import cache
from importlib import resources
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.catalog import Catalog
from forms.fill import fill
from forms.payload import PayloadKind, encode_payload
from forms.payload.prune import record_for_form
from forms.record import SessionRecord
from sync.protocol import SealedContent, ingest_key
from sync.sealing import seal

PASSWORD = "correct horse battery"  # every test account's password

# A tiny but real PDF: enough for "%PDF-" checks and for the bytes to come back unchanged.


def _one_page_pdf() -> bytes:
    """A real one-page PDF (deterministic: reportlab's invariant mode), so viewers can show it."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, "Madoguchi test application")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


PDF = _one_page_pdf()


@cache
def catalog() -> Catalog:
    return Catalog.builtin()


@cache
def samples() -> dict[str, SessionRecord]:
    root = resources.files("forms") / "samples"
    return {
        e.name.removesuffix(".json"): SessionRecord.from_json(e.read_text("utf-8"))
        for e in sorted(root.iterdir(), key=lambda e: e.name)
        if e.name.endswith(".json")
    }


def template_keys() -> list[tuple[str, int]]:
    """Every shipped template version, for tests that must cover the whole catalogue."""
    cat = catalog()
    return [(t.id, v) for t in cat.latest() for v in cat.versions(t.id)]


def sample_for(template_id: str, version: int) -> SessionRecord:
    """The first sample resident whose record fills this template without errors, as a kiosk
    sends it for this form (pruned to it: the individual number only where declared)."""
    template = catalog().get(template_id, version)
    for record in samples().values():
        if fill(template, record).ok:
            return record_for_form(record, template)
    raise LookupError(f"no sample validates {template_id}@{version}")


def personal_strings() -> set[str]:
    """Names, kana and address parts of every sample resident, to grep logs for."""
    out: set[str] = set()
    for record in samples().values():
        for person in record.persons:
            for name in (person.name, person.kana):
                if name is not None:
                    out.update(p for p in (name.family, name.given) if len(p) >= 2)
            if person.birth_date is not None:
                out.add(person.birth_date.isoformat())
        for address in record.addresses.values():
            out.update(p for p in (address.rest,) if len(p) >= 4)
    return out


def sealed_record(
    public_key: X25519PublicKey,
    template_id: str = "juminhyo",
    version: int = 1,
    record: SessionRecord | None = None,
    *,
    key: uuid.UUID | None = None,
    pdf: bytes = PDF,
    record_json: dict[str, Any] | None = None,
    kiosk_id: str = "kiosk-1",
    measurement: dict[str, Any] | None = None,
    created_at: dt.datetime = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC),
    reception_number: str = "A-001",
) -> dict[str, Any]:
    """An IngestRecord as JSON (what the kiosk sends).

    Without `record`, a sample resident under a fresh session id (so a new application each
    call). The key is the one the kiosk derives (`ingest_key(record id, template id)`) unless
    `key` is given: the back office refuses any other (`uuid_mismatch`)."""
    if record is None:
        record = sample_for(template_id, version).model_copy(update={"id": uuid.uuid4()})
    content = SealedContent(
        record=record_json if record_json is not None else json.loads(record.model_dump_json()),
        pdf=base64.b64encode(pdf).decode("ascii"),
        measurement={"review_s": 12.5} if measurement is None else measurement,
    )
    return {
        "uuid": str(key or ingest_key(record.id, template_id)),
        "template_id": template_id,
        "template_version": version,
        "kiosk_id": kiosk_id,
        "mode": "resident",
        "created_at": created_at.isoformat(),
        "reception_number": reception_number,
        "sealed": seal(content, public_key),
    }


# -- kiosk signing keys and printed data QR codes (paper import) ---------------------------


def signing_pair() -> tuple[Ed25519PrivateKey, str]:
    """A kiosk's Ed25519 key and its public key as PEM (what `terminal add --signing-key` reads)."""
    private = Ed25519PrivateKey.generate()
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, pem.decode("ascii")


def data_qr(
    record: SessionRecord,
    templates: list[tuple[str, int]],
    signing_key: Ed25519PrivateKey,
    office_public: X25519PublicKey,
    **kw: Any,
) -> str:
    """The digits of a printed page's data QR, as the kiosk stamps it."""
    kw.setdefault("kind", PayloadKind.PAPER)
    return encode_payload(
        record, templates, signing_key=signing_key, counter_public_key=office_public, **kw
    )
