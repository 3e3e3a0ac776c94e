"""The outbox: durable settings, one transaction per application, states, purge."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import uuid

import pytest
from sqlalchemy import text
from sync_residents import SAMPLE_NAMES, ingest_records

from sync.outbox import (
    Ack,
    DuplicateApplication,
    Outbox,
    OutboxUnavailable,
    SetAside,
    State,
)


def test_every_connection_is_wal_with_full_sync(outbox):
    engine = outbox._engine
    for _ in range(3):  # fresh pooled connections too
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
        engine.dispose()


def test_add_is_one_transaction(outbox, office_key):
    records = ingest_records(3, office_key.public_key())
    outbox.add(records[:2])
    # The second application repeats a key already stored: nothing of it may be written.
    with pytest.raises(DuplicateApplication) as info:
        outbox.add([records[2], records[0]])
    assert "already confirmed" in info.value.en
    assert [p.uuid for p in outbox.pending()] == [r.uuid for r in records[:2]]


def test_body_is_stored_exactly_as_sent(outbox, office_key):
    records = ingest_records(2, office_key.public_key())
    outbox.add(records)
    pending = outbox.pending()
    assert [p.body for p in pending] == [r.model_dump_json() for r in records]
    assert outbox.pending(limit=1, after_seq=pending[0].seq)[0].uuid == records[1].uuid


def test_only_ciphertext_reaches_the_disk(tmp_path, office_key):
    path = tmp_path / "box.sqlite3"
    with Outbox(path) as box:
        box.add(ingest_records(5, office_key.public_key()))
        box.status()
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("box"))
    assert len(blob) > 4096
    for name in SAMPLE_NAMES:
        assert name.encode("utf-8") not in blob


def test_settle_marks_only_pending_rows(outbox, office_key):
    records = ingest_records(3, office_key.public_key())
    outbox.add(records)
    a, b, c = (r.uuid for r in records)
    outbox.settle([Ack(a, "R-1")], [SetAside(b, "unknown_template", "未登録", "unknown")])
    # A late or replayed answer never reopens or rewrites a settled row.
    outbox.settle([Ack(a, "R-OTHER"), Ack(b, "R-2")], [SetAside(a, "x", "x", "x")])
    assert outbox.receipt(a) == (State.SENT, "R-1")
    assert outbox.receipt(b) == (State.REJECTED, None)
    assert outbox.receipt(c) == (State.PENDING, None)
    assert outbox.receipt(uuid.uuid4()) is None
    status = outbox.status()
    assert (status.pending, status.sent, status.rejected) == (1, 1, 1)
    assert status.oldest_pending_at == records[2].created_at.isoformat()
    [rejected] = outbox.rejected()
    assert (rejected.uuid, rejected.code, rejected.en) == (b, "unknown_template", "unknown")
    assert outbox.requeue_rejected(b) == 1
    assert outbox.status().pending == 2


def test_purge_after_the_retention_window_only(outbox, office_key, caplog):
    records = ingest_records(4, office_key.public_key())
    outbox.add(records)
    t0 = dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.UTC)
    outbox.settle([Ack(records[0].uuid, "R-1")], [], now=t0)
    outbox.settle([Ack(records[1].uuid, "R-2")], [], now=t0 + dt.timedelta(days=3))
    outbox.settle([], [SetAside(records[2].uuid, "c", "c", "c")], now=t0)
    caplog.set_level(logging.INFO, logger="sync.outbox")
    assert outbox.purge(now=t0 + dt.timedelta(days=7) - dt.timedelta(seconds=1)) == 0
    assert outbox.purge(now=t0 + dt.timedelta(days=7, seconds=1)) == 1
    assert outbox.receipt(records[0].uuid) is None
    assert outbox.receipt(records[1].uuid) == (State.SENT, "R-2")
    # Set-aside and pending rows are never purged: nobody has them yet.
    assert outbox.purge(now=t0 + dt.timedelta(days=365)) == 1
    assert outbox.receipt(records[2].uuid) is not None
    assert outbox.receipt(records[3].uuid) is not None
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "outbox purge: 1 acknowledged record(s) older than 7 day(s) removed",
        "outbox purge: 1 acknowledged record(s) older than 7 day(s) removed",
    ]
    assert outbox.integrity_check() == "ok"


def test_reception_numbers_run_per_day(outbox):
    day = dt.date(2025, 6, 2)
    assert outbox.next_reception_number("kiosk-1", day) == "kiosk-1-0602-0001"
    assert outbox.next_reception_number("kiosk-1", day) == "kiosk-1-0602-0002"
    assert outbox.next_reception_number("kiosk-1", day.replace(day=3)) == "kiosk-1-0603-0001"
    long = outbox.next_reception_number("k" * 64, day)
    assert len(long) == 32 and long.endswith("-0602-0003")


def test_unusable_files_are_refused(tmp_path):
    folder = tmp_path / "dir.sqlite3"
    folder.mkdir()
    with pytest.raises(OutboxUnavailable) as info:
        Outbox(folder)
    assert "unusable" in info.value.en
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OutboxUnavailable):
        Outbox(junk)


def test_two_handles_share_one_file(tmp_path, office_key):
    """The kiosk adds while `sync run` (another handle, another process) marks rows sent."""
    path = tmp_path / "shared.sqlite3"
    with Outbox(path) as kiosk, Outbox(path) as worker:
        records = ingest_records(2, office_key.public_key())
        kiosk.add(records[:1])
        worker.settle([Ack(records[0].uuid, "R-1")], [])
        kiosk.add(records[1:])
        assert [p.uuid for p in worker.pending()] == [records[1].uuid]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
