"""Sample residents for the sync tests (the shipped fictional samples), and outbox rows.

`resident_record(n)` cycles through the shipped samples that fill the first five forms (idou,
juminhyo, inkan, kokuho, jidou_teate) and gives each application its own session id;
`resident_for(template_id)` is a sample whose life event fills that template
(`forms/samples/index.yaml`).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from forms.catalog import Catalog
from forms.record import SessionRecord
from forms.sample_records import load_sample, sample_info, sample_names
from sync.application import make_ingest_records
from sync.protocol import IngestRecord

FIRST_FIVE = frozenset({"idou", "juminhyo", "inkan", "kokuho", "jidou_teate"})


@functools.cache
def _samples() -> tuple[SessionRecord, ...]:
    return tuple(
        load_sample(name) for name in sample_names() if set(sample_info(name).forms) >= FIRST_FIVE
    )


def resident_for(template_id: str) -> SessionRecord:
    """A sample resident whose record fills `template_id`, with its own session id."""
    name = next(n for n in sample_names() if template_id in sample_info(n).forms)
    record = load_sample(name)
    record.id = uuid.uuid4()
    return record


def resident_record(n: int = 0) -> SessionRecord:
    samples = _samples()
    record = samples[n % len(samples)].model_copy(deep=True)
    record.id = uuid.uuid4()
    return record


def _personal_strings() -> tuple[str, ...]:
    out: list[str] = []
    for record in _samples():
        for person in record.persons:
            for name in (person.name, person.kana):
                if name is not None:
                    out += [p for p in (name.family, name.given) if len(p) >= 2]
        for address in record.addresses.values():
            if address.rest:
                out.append(address.rest[:6])
    return tuple(sorted(set(out)))


SAMPLE_NAMES = _personal_strings()
SAMPLE_FAMILY = _samples()[0].persons[0].name.family  # type: ignore[union-attr]

FAKE_PDF = b"%PDF-1.4\n% not a real PDF: the sync tests never render\n%%EOF\n"


def ingest_records(
    count: int,
    office_key: X25519PublicKey,
    *,
    kiosk_id: str = "kiosk-t1",
    template: tuple[str, int] = ("juminhyo", 1),
    start: int = 0,
) -> list[IngestRecord]:
    """`count` single-form applications, each sealed (one HPKE seal each)."""
    catalog = Catalog.builtin()
    template_id, version = template
    form = catalog.get(template_id)
    if version != form.version:  # e.g. a version the office has never seen
        form = form.model_copy(update={"version": version})
    out: list[IngestRecord] = []
    for n in range(start, start + count):
        out += make_ingest_records(
            resident_record(n),
            [form],
            {form.id: FAKE_PDF},
            kiosk_id=kiosk_id,
            mode="resident",
            reception_number=f"T-{n:05d}",
            office_public_key=office_key,
            measurement={"review_seconds": 12.5},
            created_at=dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC) + dt.timedelta(seconds=n),
        )
    return out
