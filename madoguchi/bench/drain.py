"""`madoguchi bench drain`: 10,000 applications queued during an outage, drained on loopback.

Set-up (not timed): a fresh back office (`madoguchi backoffice serve`, SQLite, its own
process) with a provisioned terminal, and a kiosk outbox holding 10,000 sealed applications
(the shipped sample residents, with a small placeholder PDF so the figure measures the sync
path rather than PDF size). Timed: one `SyncWorker.run_once()` pass that pushes everything
(batches of 100) until the outbox is empty. Baseline, in the same run: the same outbox read and
marked sent batch by batch with no network and no back office. Target: ≤ 20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path

from madoguchi.bench.stats import line

COUNT = 10_000
TARGET_SECONDS = 20.0
_PLACEHOLDER_PDF = b"%PDF-1.4\n" + b"% placeholder page content\n" * 80 + b"%%EOF\n"


def run(args: argparse.Namespace) -> None:
    from backoffice.devserver import serve_subprocess

    count = COUNT
    with tempfile.TemporaryDirectory(prefix="madoguchi-drain-") as tmp:
        root = Path(tmp)
        office_dir = root / "office"
        token, public_key = _prepare_office(office_dir)
        outbox_path = root / "outbox.sqlite3"
        _fill_outbox(outbox_path, count, public_key)
        baseline_path = root / "baseline.sqlite3"
        _copy_sqlite(outbox_path, baseline_path)

        base_seconds = _baseline(baseline_path)
        with serve_subprocess(data_dir=office_dir, cwd=office_dir, stop_timeout=15) as url:
            seconds, report = _drain(outbox_path, url, token)

    line("drain_records", report.sent, "records")
    line("drain_batches", report.batches, "batches")
    line("drain_failures", report.failures, "failures")
    line("drain_time", seconds, "s")
    line("drain_rate", report.sent / seconds, "records/s")
    line("baseline_outbox_read_mark_rate", count / base_seconds, "records/s")
    line("ratio_drain_vs_baseline", base_seconds / seconds, "x")
    line("target_drain_time", TARGET_SECONDS, "s")
    line("target_met", "yes" if seconds <= TARGET_SECONDS and report.sent == count else "no")


def _prepare_office(data_dir: Path) -> tuple[str, object]:
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


def _fill_outbox(path: Path, count: int, public_key) -> None:  # type: ignore[no-untyped-def]
    from forms.catalog import Catalog
    from forms.sample_records import load_sample, sample_names
    from sync.application import make_ingest_records
    from sync.outbox import Outbox

    samples = [load_sample(n) for n in sample_names()]
    juminhyo = Catalog.builtin().get("juminhyo", 1)
    start = dt.datetime.now(dt.UTC)
    with Outbox(path) as outbox:
        chunk = []
        for n in range(count):
            record = samples[n % len(samples)].model_copy()
            record.id = uuid.uuid4()
            chunk += make_ingest_records(
                record,
                [juminhyo],
                {"juminhyo": _PLACEHOLDER_PDF},
                kiosk_id="bench-kiosk",
                mode="resident",
                reception_number=f"B-{n:05d}",
                office_public_key=public_key,
                created_at=start + dt.timedelta(milliseconds=n),
            )
            if len(chunk) == 500:  # set-up only: the kiosk itself commits one per application
                outbox.add(chunk)
                chunk = []
        if chunk:
            outbox.add(chunk)


def _copy_sqlite(source: Path, target: Path) -> None:
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _baseline(path: Path) -> float:
    from sync.outbox import Ack, Outbox

    with Outbox(path) as outbox:
        start = time.perf_counter()
        while batch := outbox.pending(limit=100):
            outbox.count_attempt(item.uuid for item in batch)
            outbox.settle([Ack(item.uuid, "X") for item in batch], [])
        return time.perf_counter() - start


def _drain(path: Path, url: str, token: str):  # type: ignore[no-untyped-def]
    from sync.client import OfficeClient
    from sync.outbox import Outbox
    from sync.worker import SyncWorker

    with Outbox(path) as outbox, OfficeClient(url, token) as client:
        worker = SyncWorker(outbox, client)
        start = time.perf_counter()
        report = worker.run_once()
        seconds = time.perf_counter() - start
    return seconds, report
