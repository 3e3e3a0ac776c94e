"""Fault tests: the kiosk's worker against the REAL back office through a faulty network.

Every test runs on SQLite and on PostgreSQL (the `office` fixture), and ends with the same
check: nothing lost, nothing duplicated, the kiosk's receipts equal the office's, every status
consistent, and the kiosk's SQLite file passes `PRAGMA integrity_check`.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from faultproxy import Fault, FaultProxy
from sync_office import FAST_RETRY, Kiosk, assert_consistent
from sync_residents import SAMPLE_NAMES, ingest_records

from sync.errors import AccessRefused
from sync.outbox import State
from sync.protocol import IngestRecord, ResultStatus
from sync.worker import RetryPolicy


@pytest.fixture
def kiosk(office, tmp_path):
    k = Kiosk(office, tmp_path)
    yield k
    k.outbox.close()


@pytest.mark.parametrize(
    "fault",
    [
        Fault.DELAY,
        Fault.CUT,
        Fault.RESET,
        Fault.TRUNCATE,
        Fault.DROP_RESPONSE,
        Fault.ERROR_500,
        Fault.SLOW,
    ],
)
def test_each_fault_then_recovery(office, kiosk, fault):
    records = kiosk.queue(12)
    policy = FaultProxy.scripted(fault, fault)
    with FaultProxy(("127.0.0.1", office.port), policy, delay=0.2, slow=1.5) as proxy:
        client = kiosk.client(proxy.url, timeout=1.0)
        report = kiosk.worker(client, batch_size=5).run_once()
    assert proxy.stats[fault] == 2
    assert report.ok and report.sent == 12
    if fault == Fault.DELAY:
        assert report.failures == 0
    else:
        assert report.failures == 2
    if fault in (Fault.DROP_RESPONSE, Fault.SLOW, Fault.TRUNCATE):
        # The office committed both times; the retries got the original receipts back.
        assert report.duplicates == 5
    else:
        assert report.duplicates == 0
    assert_consistent(kiosk, records)


def test_duplicate_deliveries_get_the_original_receipt(office, kiosk):
    records = kiosk.queue(4)
    bodies = [p.body for p in kiosk.outbox.pending()]
    with kiosk.client() as client:
        first = client.ingest(bodies)
        again = client.ingest(bodies)
        partly = client.ingest(bodies[1:3])
    assert [r.status for r in first.results] == [ResultStatus.ACCEPTED] * 4
    assert [r.status for r in again.results] == [ResultStatus.DUPLICATE] * 4
    assert [r.receipt_number for r in again.results] == [r.receipt_number for r in first.results]
    assert [r.receipt_number for r in partly.results] == [
        r.receipt_number for r in first.results[1:3]
    ]
    # The worker then delivers them "again" and ends with the office's receipts.
    with kiosk.client() as client:
        report = kiosk.worker(client).run_once()
    assert report.sent == 4 and report.duplicates == 4
    assert_consistent(kiosk, records)


def test_concurrent_requests_with_the_same_key(office, kiosk):
    records = kiosk.queue(6)
    bodies = [p.body for p in kiosk.outbox.pending()]
    answers: list[list[tuple[uuid.UUID, ResultStatus, str | None]]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8, timeout=10)

    def push() -> None:
        try:
            with kiosk.client(timeout=30) as client:
                barrier.wait()
                response = client.ingest(bodies)
            answers.append([(r.uuid, r.status, r.receipt_number) for r in response.results])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and len(answers) == 8
    for n, record in enumerate(records):
        outcomes = [a[n] for a in answers]
        assert [o[1] for o in outcomes].count(ResultStatus.ACCEPTED) == 1
        assert {o[1] for o in outcomes} <= {ResultStatus.ACCEPTED, ResultStatus.DUPLICATE}
        assert len({o[2] for o in outcomes}) == 1  # one receipt number for all eight
        assert outcomes[0][0] == record.uuid
    with kiosk.client() as client:
        kiosk.worker(client).run_once()
    assert_consistent(kiosk, records)


def test_conflicting_body_is_set_aside_and_the_office_copy_kept(office, kiosk):
    records = kiosk.queue(3)
    with kiosk.client() as client:
        original = client.ingest([kiosk.outbox.pending()[1].body])
        tampered = json.loads(kiosk.outbox.pending()[1].body)
        tampered["reception_number"] = "CHANGED"
        conflict = client.ingest([json.dumps(tampered)])
    assert conflict.results[0].status == ResultStatus.CONFLICT
    stored = office.applications()[records[1].uuid]
    assert stored.receipt_number == original.results[0].receipt_number
    with kiosk.client() as client:
        report = kiosk.worker(client).run_once()
    assert report.sent == 3 and report.duplicates == 1


def test_rejected_record_is_set_aside_while_the_rest_flow(office, kiosk):
    good = kiosk.queue(4)
    [unknown] = ingest_records(
        1, office.public_key, kiosk_id=kiosk.name, template=("juminhyo", 999), start=50
    )
    kiosk.outbox.add([unknown])
    more = kiosk.queue(3)
    with kiosk.client() as client:
        report = kiosk.worker(client, batch_size=3).run_once()
    assert report.sent == 7 and report.pending_left == 0
    assert [(s.uuid, s.code) for s in report.set_aside] == [(unknown.uuid, "unknown_template")]
    assert kiosk.outbox.receipt(unknown.uuid) == (State.REJECTED, None)
    assert unknown.uuid not in office.applications()
    for r in good + more:
        assert kiosk.outbox.receipt(r.uuid)[0] == State.SENT


def test_revoked_terminal_stores_nothing(office, kiosk):
    records = kiosk.queue(3)
    office.revoke(kiosk.name)
    with kiosk.client() as client:
        report = kiosk.worker(client).run_once()
    assert isinstance(report.last_error, AccessRefused)
    assert report.sent == 0 and kiosk.outbox.status().pending == 3
    assert not {r.uuid for r in records} & set(office.applications())


def test_server_down_then_back(office, kiosk):
    """Nothing listens (connection refused) for a while; the worker keeps the queue intact."""
    records = kiosk.queue(5)
    with FaultProxy(("127.0.0.1", office.port), lambda: Fault.RESET) as proxy:
        client = kiosk.client(proxy.url)
        report = kiosk.worker(
            client, retry=RetryPolicy(base=0.01, cap=0.02, max_attempts=5)
        ).run_once()
        assert report.sent == 0 and not report.ok and kiosk.outbox.status().pending == 5
        proxy.policy = lambda: Fault.PASS
        report = kiosk.worker(client).run_once()
    assert report.ok and report.sent == 5
    assert_consistent(kiosk, records)


def test_back_office_restarted_mid_batch(office, kiosk):
    """SIGKILL the office while batches are in flight, start it again; the worker carries on."""
    records = kiosk.queue(300)
    client = kiosk.client(timeout=5)
    worker = kiosk.worker(client, batch_size=20, poll_interval=0.05)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        for _ in range(2):
            deadline = 200
            before = kiosk.outbox.status().sent
            while kiosk.outbox.status().sent == before and deadline:
                stop.wait(0.02)
                deadline -= 1
            office.kill()
            office.start()
        for _ in range(1500):
            if kiosk.outbox.status().pending == 0:
                break
            stop.wait(0.02)
    finally:
        stop.set()
        thread.join(timeout=30)
        client.close()
    assert not thread.is_alive()
    assert office.starts >= 3
    assert_consistent(kiosk, records)


def test_no_personal_data_in_the_worker_logs(office, kiosk, caplog):
    kiosk.queue(3)
    caplog.set_level("DEBUG")
    with FaultProxy(("127.0.0.1", office.port), FaultProxy.scripted(Fault.ERROR_500)) as proxy:
        kiosk.worker(kiosk.client(proxy.url)).run_once()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP 500" in text
    for name in SAMPLE_NAMES:
        assert name not in text


# --- a record the back office fails on, or refuses by the wire schema --------------------------


def _sync_status(db: Path) -> dict:
    """`madoguchi sync status --json`, as an operator runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", "sync", "status", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for name in SAMPLE_NAMES:
        assert name not in result.stdout
    return json.loads(result.stdout)


def test_a_record_the_office_keeps_failing_on_is_set_aside_while_the_rest_flow(office, kiosk):
    records = kiosk.queue(60)
    poison = records[23]
    poison_bytes = str(poison.uuid).encode("ascii")
    with FaultProxy(("127.0.0.1", office.port), poison=poison_bytes) as proxy:
        report = kiosk.worker(kiosk.client(proxy.url), batch_size=20).run_once()
    # the batch holding it, each half holding it, then alone max_attempts times: bounded
    assert 1 + FAST_RETRY.max_attempts <= proxy.poisoned <= 6 + FAST_RETRY.max_attempts
    assert report.ok and report.sent == 59
    assert [(s.uuid, s.code) for s in report.set_aside] == [(poison.uuid, "failed_alone")]
    assert poison.uuid not in office.applications()
    assert_consistent(kiosk, [r for r in records if r is not poison], rejected=1)
    status = _sync_status(kiosk.outbox.path)
    assert (status["pending"], status["rejected"]) == (0, 1)
    [shown] = status["set_aside"]
    assert (shown["uuid"], shown["code"]) == (str(poison.uuid), "failed_alone")
    assert shown["reception_number"] == poison.reception_number


def test_an_old_record_outside_the_wire_bounds_is_named_by_the_office(office, kiosk):
    """A row an older kiosk stored before the bounds existed: the office answers 422 naming
    it; the kiosk sets exactly it aside and resends the rest in the same pass."""
    good = kiosk.queue(4)
    [template] = ingest_records(1, office.public_key, kiosk_id=kiosk.name, start=90)
    ancient = IngestRecord.model_construct(
        **{
            **dict(template),
            "created_at": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        }
    )
    kiosk.outbox.add([ancient])
    more = kiosk.queue(3)
    with kiosk.client() as client:
        report = kiosk.worker(client).run_once()
    assert report.ok and report.sent == 7
    assert [(s.uuid, s.code) for s in report.set_aside] == [(ancient.uuid, "record_invalid")]
    assert "created_at" in report.set_aside[0].en
    assert ancient.uuid not in office.applications()
    assert_consistent(kiosk, good + more, rejected=1)
