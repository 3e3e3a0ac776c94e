"""`madoguchi bench drain`: realistic confirmed applications queued during an outage, drained
through the real sync path into a real back office on loopback.

Set-up (not timed):
- a fresh back office (`madoguchi backoffice serve`, SQLite, its own process) with a
  provisioned terminal;
- real PDFs, rendered once by `printing.render` for every shipped template filled from each
  sample resident, each with a drawn signature and the kiosk's signed data QR
  (`printing.data_qr`), as a kiosk prints them;
- a kiosk outbox holding `--count` (default 10,000) applications, each a sample resident
  under its own session id with its signature in the record and its form's real PDF, cycling
  through those PDFs, sealed as the kiosk's confirm step seals them
  (`sync.application.make_ingest_records`: pruned to the form, HPKE to the office key). That
  is 150-200 KB a record on the wire; 10,000 of them make an outbox of about 1.8 GB.

Timed: one `SyncWorker.run_once()` pass, as `madoguchi sync run --once` runs it (batches of
100, the real HTTP client), until the outbox is empty. The back office opens every seal,
validates every form and stores every PDF.

Baseline, in the same run and on the same outbox just before the drain: the rows read and
marked sent batch by batch with no network and no back office (then put back to pending,
untimed). Figures: records/s and MB/s (request bodies) of both, and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from madoguchi.bench.stats import line

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

COUNT = 10_000
BATCH = 100
_SETUP_CHUNK = 200  # applications per set-up transaction (the kiosk itself commits one each)
_MB = 1024 * 1024


@dataclass(frozen=True)
class _Form:
    """One real rendered application: a sample resident, one template, its PDF."""

    record: Any  # forms.record.SessionRecord
    template: Any  # forms.template.Template
    pdf: bytes


def run(args: argparse.Namespace) -> None:
    from backoffice.devserver import serve_subprocess

    count = getattr(args, "count", None) or COUNT
    with tempfile.TemporaryDirectory(prefix="madoguchi-drain-") as tmp:
        root = Path(tmp)
        office_dir = root / "office"
        token, public_key = _prepare_office(office_dir)
        forms = _render_forms(public_key, limit=count)
        outbox_path = root / "outbox.sqlite3"
        wire_bytes = _fill_outbox(outbox_path, count, forms, public_key)

        base_seconds = _baseline(outbox_path)
        _back_to_pending(outbox_path)
        with serve_subprocess(data_dir=office_dir, cwd=office_dir, stop_timeout=30) as url:
            seconds, report = _drain(outbox_path, url, token)

    mb = wire_bytes / _MB
    line("drain_records", report.sent, "records")
    line("drain_set_aside", len(report.set_aside), "records")
    line("drain_batches", report.batches, "batches")
    line("drain_failures", report.failures, "failures")
    line("drain_pdf_size_mean", sum(len(f.pdf) for f in forms) / len(forms) / 1024, "KB")
    line("drain_record_size_mean", wire_bytes / count / 1024, "KB (sealed, on the wire)")
    line("drain_volume", mb, "MB")
    line("drain_time", seconds, "s")
    line("drain_rate", report.sent / seconds, "records/s")
    line("drain_throughput", mb / seconds, "MB/s")
    line("baseline_outbox_read_mark_time", base_seconds, "s")
    line("baseline_outbox_read_mark_rate", count / base_seconds, "records/s")
    line("baseline_outbox_read_mark_throughput", mb / base_seconds, "MB/s")
    line("ratio_drain_vs_baseline", base_seconds / seconds, "x")


def _prepare_office(data_dir: Path) -> tuple[str, X25519PublicKey]:
    from backoffice.context import open_context
    from backoffice.services.accounts import add_terminal
    from backoffice.settings import BackofficeSettings
    from forms.payload.keys import load_counter_public_key

    settings = BackofficeSettings(data_dir=data_dir)
    context = open_context(settings)
    try:
        with context.sessions() as session, session.begin():
            token = add_terminal(session, "bench-kiosk")
    finally:
        context.close()
    return token, load_counter_public_key(settings.public_key_path)


def _render_forms(office_key: X25519PublicKey, limit: int) -> list[_Form]:
    """Every shipped template with every sample resident that fills it: real PDFs, with the
    kiosk's own data QR (`printing.data_qr`, signed by a throw-away kiosk key). At most
    `limit` of them: the outbox cycles through them, so more than `--count` would go unused."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from forms.catalog import Catalog
    from forms.fill import fill
    from forms.payload.prune import SIGNATURE_ANSWER
    from forms.sample_records import load_sample, sample_names
    from printing.data_qr import DataQrStamper
    from printing.render import render_application

    signature = _signature_png()
    stamper = DataQrStamper(Ed25519PrivateKey.generate(), office_key)
    issued = dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)
    templates = Catalog.builtin().latest()
    out: list[_Form] = []
    for name in sample_names():
        record = load_sample(name).model_copy(deep=True)
        record.answers[SIGNATURE_ANSWER] = signature
        for template in templates:
            if len(out) >= limit:
                return out
            form = fill(template, record)
            if not form.ok:
                continue
            pdf = render_application(
                [form],
                reception_number="bench-0401-0001",
                signature_png=signature,
                data_qr=stamper.for_record(record),
                issued_at=issued,
            )
            out.append(_Form(record, template, pdf))
    return out


def _signature_png() -> bytes:
    """A handwritten-looking signature, as the kiosk's signature pad exports it."""
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 260), "white")
    draw = ImageDraw.Draw(image)
    for stroke in range(4):
        x0 = 80 + stroke * 170
        points = [
            (x0 + t * 3.2, 130 + 55 * math.sin(t / 6 + stroke) + 12 * math.cos(t / 2.5))
            for t in range(48)
        ]
        draw.line(points, fill="black", width=6, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _applications(count: int, forms: list[_Form], public_key) -> Iterator[list]:
    """Each application's outbox rows, sealed as the kiosk's confirm step seals them."""
    from sync.application import make_ingest_records

    start = dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)
    for n in range(count):
        form = forms[n % len(forms)]
        record = form.record.model_copy()
        record.id = uuid.uuid4()  # each application its own session, hence its own key
        yield make_ingest_records(
            record,
            [form.template],
            {form.template.id: form.pdf},
            kiosk_id="bench-kiosk",
            mode="resident",
            reception_number=f"bench-0401-{n:05d}",
            office_public_key=public_key,
            measurement={"review_s": 41.5, "sign_s": 9.0, "typed_chars": 12},
            created_at=start + dt.timedelta(seconds=n),
        )


def _fill_outbox(path: Path, count: int, forms: list[_Form], public_key) -> int:
    """Queue `count` applications; returns the bytes their bodies take on the wire."""
    from sync.outbox import Outbox

    wire = 0
    with Outbox(path) as outbox:
        chunk: list = []
        for records in _applications(count, forms, public_key):
            chunk += records
            if len(chunk) >= _SETUP_CHUNK:
                wire += _add(outbox, chunk)
                chunk = []
        if chunk:
            wire += _add(outbox, chunk)
    return wire


def _add(outbox, records: list) -> int:
    outbox.add(records)
    return sum(len(r.model_dump_json()) for r in records)


def _baseline(path: Path) -> float:
    from sync.outbox import Ack, Outbox

    with Outbox(path) as outbox:
        start = time.perf_counter()
        while batch := outbox.pending(limit=BATCH):
            outbox.count_attempt(item.uuid for item in batch)
            outbox.settle([Ack(item.uuid, "X") for item in batch], [])
        return time.perf_counter() - start


def _back_to_pending(path: Path) -> None:
    """Undo the baseline's marks (set-up, not timed): the drain starts from the same rows."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "UPDATE outbox SET state = 'pending', receipt_number = NULL, acked_at = NULL, "
                "attempts = 0"
            )
    finally:
        conn.close()


def _drain(path: Path, url: str, token: str) -> tuple[float, Any]:
    from sync.client import OfficeClient
    from sync.outbox import Outbox
    from sync.worker import SyncWorker

    with Outbox(path) as outbox, OfficeClient(url, token) as client:
        worker = SyncWorker(outbox, client, batch_size=BATCH)
        start = time.perf_counter()
        report = worker.run_once()
        seconds = time.perf_counter() - start
    return seconds, report
