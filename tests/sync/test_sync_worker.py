"""The worker against an in-process fake of the ingest API (httpx.MockTransport).

These tests pin the worker's rules one by one; the fault tests run it against the real back
office through a faulty network.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import random
import threading
from collections.abc import Callable

import httpx
import pytest
from sync_residents import SAMPLE_NAMES, ingest_records

from sync.client import OfficeClient
from sync.errors import (
    AccessRefused,
    ProtocolViolation,
    Refused,
    ServerFailed,
    ServerUnavailable,
)
from sync.outbox import Ack, State
from sync.worker import RetryPolicy, SyncWorker

Fault = Callable[[httpx.Request, dict], httpx.Response | None]


class FakeOffice:
    """Ingest semantics of the back office in memory, with a hook to misbehave per request."""

    def __init__(self) -> None:
        self.stored: dict[str, str] = {}  # uuid -> body
        self.receipts: dict[str, str] = {}
        self.requests: list[bytes] = []
        self.faults: list[Fault] = []
        self.reject: set[str] = set()
        self.poison: set[str] = set()  # a batch holding one of these answers 500

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.content)
        assert request.headers["authorization"] == "Bearer t0ken"
        body = json.loads(request.content)
        if self.faults:
            answer = self.faults.pop(0)(request, body)
            if answer is not None:
                return answer
        if any(r["uuid"] in self.poison for r in body["records"]):
            return httpx.Response(500, json={"code": "internal_error", "ja": "x", "en": "x"})
        return httpx.Response(200, json=self.answer(body))

    def sent(self, key: object) -> list[int]:
        """The size of every request that carried record `key`."""
        sizes = []
        for raw in self.requests:
            keys = [r["uuid"] for r in json.loads(raw)["records"]]
            if str(key) in keys:
                sizes.append(len(keys))
        return sizes

    def answer(self, body: dict) -> dict:
        results = []
        for record in body["records"]:
            key, text = record["uuid"], json.dumps(record, sort_keys=True)
            if key in self.reject:
                results.append(
                    {
                        "uuid": key,
                        "status": "rejected",
                        "error": {
                            "code": "unknown_template",
                            "ja": "未登録の様式",
                            "en": "unknown",
                        },
                    }
                )
            elif key not in self.stored:
                self.stored[key] = text
                self.receipts[key] = f"R-{len(self.receipts) + 1:06d}"
                results.append(
                    {"uuid": key, "status": "accepted", "receipt_number": self.receipts[key]}
                )
            elif self.stored[key] == text:
                results.append(
                    {"uuid": key, "status": "duplicate", "receipt_number": self.receipts[key]}
                )
            else:
                results.append(
                    {
                        "uuid": key,
                        "status": "conflict",
                        "error": {"code": "conflict", "ja": "内容が異なります", "en": "differs"},
                    }
                )
        return {"results": results}


@pytest.fixture
def office() -> FakeOffice:
    return FakeOffice()


def make_worker(outbox, office, sleeps=None, **kw) -> SyncWorker:
    client = OfficeClient(
        "https://office.test", "t0ken", transport=httpx.MockTransport(office.handler)
    )
    return SyncWorker(
        outbox,
        client,
        rng=random.Random(7),
        sleep=(sleeps.append if sleeps is not None else lambda _s: None),
        **kw,
    )


def test_pushes_everything_in_batches(outbox, office, office_key):
    records = ingest_records(250, office_key.public_key())
    outbox.add(records)
    report = make_worker(outbox, office).run_once()
    assert (report.sent, report.batches, report.pending_left, report.ok) == (250, 3, 0, True)
    assert [len(json.loads(r)["records"]) for r in office.requests] == [100, 100, 50]
    for r in records:
        assert outbox.receipt(r.uuid) == (State.SENT, office.receipts[str(r.uuid)])


def test_same_key_and_body_on_every_retry(outbox, office, office_key):
    outbox.add(ingest_records(3, office_key.public_key()))
    office.faults = [
        lambda _r, _b: httpx.Response(503),
        lambda _r, _b: (_ for _ in ()).throw(httpx.ReadTimeout("slow")),
        lambda _r, _b: (_ for _ in ()).throw(httpx.ConnectError("refused")),
    ]
    sleeps: list[float] = []
    report = make_worker(outbox, office, sleeps).run_once()
    assert report.sent == 3 and report.failures == 3
    assert len(office.requests) == 4
    assert len(set(office.requests)) == 1  # byte for byte the same
    # Full jitter: each wait lies in [0, base·2^(n-1)].
    assert len(sleeps) == 3
    for n, s in enumerate(sleeps, start=1):
        assert 0 <= s <= 0.5 * 2 ** (n - 1)


def test_gives_up_the_pass_after_max_attempts_and_marks_nothing(outbox, office, office_key):
    outbox.add(ingest_records(2, office_key.public_key()))
    office.faults = [lambda _r, _b: httpx.Response(503)] * 10
    sleeps: list[float] = []
    worker = make_worker(outbox, office, sleeps, retry=RetryPolicy(max_attempts=4))
    report = worker.run_once()
    assert len(office.requests) == 4 and len(sleeps) == 3
    assert isinstance(report.last_error, ServerUnavailable) and not report.ok
    assert report.pending_left == 2 and report.sent == 0
    office.faults = []
    assert worker.run_once().sent == 2


def test_delay_is_capped(office):
    policy = RetryPolicy(base=1.0, cap=30.0)
    rng = random.Random(1)
    delays = [policy.delay(50, rng) for _ in range(200)]
    assert max(delays) <= 30.0 and max(delays) > 20.0


def test_rejected_records_are_set_aside_while_the_rest_flow(outbox, office, office_key, caplog):
    records = ingest_records(5, office_key.public_key())
    outbox.add(records)
    office.reject = {str(records[1].uuid), str(records[3].uuid)}
    caplog.set_level(logging.INFO)
    report = make_worker(outbox, office).run_once()
    assert report.sent == 3 and report.pending_left == 0
    assert [s.uuid for s in report.set_aside] == [records[1].uuid, records[3].uuid]
    assert report.set_aside[0].code == "unknown_template"
    assert outbox.receipt(records[1].uuid)[0] == State.REJECTED
    assert outbox.status().rejected == 2
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    assert str(records[1].uuid) in log_text
    for name in SAMPLE_NAMES:
        assert name not in log_text


def test_conflict_is_set_aside_never_overwritten(outbox, office, office_key):
    [record] = ingest_records(1, office_key.public_key())
    office.stored[str(record.uuid)] = "something else"
    office.receipts[str(record.uuid)] = "R-000001"
    outbox.add([record])
    report = make_worker(outbox, office).run_once()
    assert [s.code for s in report.set_aside] == ["conflict"]
    assert office.stored[str(record.uuid)] == "something else"


def test_duplicate_answer_counts_as_delivered(outbox, office, office_key):
    records = ingest_records(2, office_key.public_key())
    office.answer({"records": [json.loads(records[0].model_dump_json())]})
    outbox.add(records)
    report = make_worker(outbox, office).run_once()
    assert (report.sent, report.duplicates) == (2, 1)
    assert outbox.receipt(records[0].uuid) == (State.SENT, "R-000001")


def _mangle(change: Callable[[dict], None]) -> Fault:
    def fault(_request: httpx.Request, body: dict) -> httpx.Response:
        answer = FakeOffice().answer(body)
        change(answer)
        return httpx.Response(200, json=answer)

    return fault


def _raw(content: bytes, status: int = 200) -> Fault:
    return lambda _r, _b: httpx.Response(status, content=content)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (_raw(b"<html>proxy error</html>"), "not an IngestResponse"),
        (_raw(b""), "not an IngestResponse"),
        (_raw(b'{"results": "all good"}'), "not an IngestResponse"),
        (_raw(b'{"results": [], "extra": 1}'), "not an IngestResponse"),
        (_mangle(lambda a: a["results"][0].pop("receipt_number")), "receipt number is missing"),
        (_mangle(lambda a: a["results"][1].update(receipt_number="")), "receipt number is missing"),
        (
            _mangle(lambda a: a["results"][0].update(uuid="00000000-0000-0000-0000-000000000000")),
            "1 unknown and 1 missing",
        ),
        (_mangle(lambda a: a["results"].pop()), "0 unknown and 1 missing"),
        (_mangle(lambda a: a["results"].reverse()), "out of order"),
        (_mangle(lambda a: a["results"][0].update(status="maybe")), "not an IngestResponse"),
    ],
)
def test_bad_answers_mark_nothing(outbox, office, office_key, fault, reason):
    records = ingest_records(2, office_key.public_key())
    outbox.add(records)
    office.faults = [fault]
    worker = make_worker(outbox, office, retry=RetryPolicy(max_attempts=1))
    report = worker.run_once()
    assert isinstance(report.last_error, ProtocolViolation)
    assert reason in report.last_error.en
    assert report.sent == 0 and outbox.status().pending == 2
    for r in records:
        assert outbox.receipt(r.uuid) == (State.PENDING, None)


@pytest.mark.parametrize("status", [401, 403])
def test_refused_terminal_stops_at_once(outbox, office, office_key, status):
    outbox.add(ingest_records(2, office_key.public_key()))
    office.faults = [_raw(b'{"detail": "revoked"}', status)]
    report = make_worker(outbox, office).run_once()
    assert isinstance(report.last_error, AccessRefused)
    assert "check its registration" in report.last_error.en
    assert len(office.requests) == 1 and outbox.status().pending == 2


@pytest.mark.parametrize("status", [404, 405, 415])
def test_batch_refused_by_the_route_stops_and_keeps_everything(outbox, office, office_key, status):
    outbox.add(ingest_records(2, office_key.public_key()))
    office.faults = [_raw(b'{"code": "malformed_body", "ja": "x", "en": "x"}', status)]
    report = make_worker(outbox, office).run_once()
    assert isinstance(report.last_error, Refused)
    assert f"HTTP {status} malformed_body" in report.last_error.en
    assert outbox.status().pending == 2 and len(office.requests) == 1
    assert report.set_aside == []


# --- a record that keeps failing does not hold back the others --------------------------------


def test_a_server_failing_on_everything_sets_nothing_aside(outbox, office, office_key):
    records = ingest_records(2, office_key.public_key())
    outbox.add(records)
    office.faults = [lambda _r, _b: httpx.Response(500)] * 10
    sleeps: list[float] = []
    worker = make_worker(outbox, office, sleeps, retry=RetryPolicy(max_attempts=4))
    report = worker.run_once()
    # the batch, then the first record alone 4 times, then the second once: nothing went
    # through, so nothing tells these records apart from a failing server
    assert [len(json.loads(r)["records"]) for r in office.requests] == [2, 1, 1, 1, 1, 1]
    assert len(sleeps) == 3
    assert isinstance(report.last_error, ServerFailed) and not report.ok
    assert report.set_aside == [] and report.pending_left == 2 and report.sent == 0
    office.faults = []
    assert worker.run_once().sent == 2


def test_a_poison_record_is_set_aside_and_the_rest_flow(outbox, office, office_key, caplog):
    records = ingest_records(250, office_key.public_key())
    outbox.add(records)
    poison = records[137]
    office.poison = {str(poison.uuid)}
    caplog.set_level(logging.INFO)
    sleeps: list[float] = []
    worker = make_worker(outbox, office, sleeps, retry=RetryPolicy(max_attempts=3))
    report = worker.run_once()
    assert report.sent == 249 and report.pending_left == 0 and report.ok
    assert [(s.uuid, s.code) for s in report.set_aside] == [(poison.uuid, "failed_alone")]
    assert "kept failing on this record alone" in report.set_aside[0].en
    for r in records:
        expected = State.REJECTED if r is poison else State.SENT
        assert outbox.receipt(r.uuid)[0] == expected
    # bounded: its batch, then each half holding it, then alone max_attempts times
    sizes = office.sent(poison.uuid)
    assert sizes[:4] == [100, 50, 25, 13] and sizes[-3:] == [1, 1, 1]
    assert all(a > b for a, b in itertools.pairwise(sizes[:-2]))  # halving down to one
    assert len(sizes) <= 3 + 8
    assert len(sleeps) == 2
    [rejected] = outbox.rejected()
    assert (rejected.uuid, rejected.code) == (poison.uuid, "failed_alone")
    # set aside means not retried: the next pass sends nothing
    before = len(office.requests)
    again = worker.run_once()
    assert again.ok and len(office.requests) == before
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    assert str(poison.uuid) in log_text
    for name in SAMPLE_NAMES:
        assert name not in log_text


def test_poison_records_in_a_row_one_per_batch(outbox, office, office_key):
    records = ingest_records(5, office_key.public_key())
    outbox.add(records)
    office.poison = {str(records[0].uuid), str(records[1].uuid), str(records[3].uuid)}
    worker = make_worker(outbox, office, batch_size=1, retry=RetryPolicy(max_attempts=3))
    report = worker.run_once()
    assert report.sent == 2 and report.pending_left == 0
    assert {s.uuid for s in report.set_aside} == {records[n].uuid for n in (0, 1, 3)}
    # the first alone max_attempts times; later ones in the same pass, once
    assert [office.sent(records[n].uuid) for n in (0, 1, 3)] == [[1, 1, 1], [1], [1]]


def test_a_lone_poison_record_waits_until_another_goes_through(outbox, office, office_key):
    first, second = ingest_records(2, office_key.public_key())
    outbox.add([first])
    office.poison = {str(first.uuid)}
    worker = make_worker(outbox, office, retry=RetryPolicy(max_attempts=2))
    report = worker.run_once()
    assert report.set_aside == [] and report.pending_left == 1
    assert isinstance(report.last_error, ServerFailed)
    assert outbox.receipt(first.uuid) == (State.PENDING, None)
    outbox.add([second])
    report = worker.run_once()
    assert report.sent == 1 and [s.uuid for s in report.set_aside] == [first.uuid]
    assert report.ok


def _refusal(*named: tuple[int, str | None]) -> Fault:
    def fault(_request: httpx.Request, body: dict) -> httpx.Response:
        results = [
            {
                "index": n,
                "uuid": key,
                "status": "rejected",
                "error": {"code": "record_invalid", "ja": "規格外", "en": "created_at: bounds"},
            }
            for n, key in named
        ]
        return httpx.Response(
            422,
            json={
                "code": "invalid_request",
                "ja": "x",
                "en": "x",
                "problems": [],
                "results": results,
            },
        )

    return fault


def test_records_named_in_a_422_are_set_aside_and_the_rest_resent(outbox, office, office_key):
    records = ingest_records(5, office_key.public_key())
    outbox.add(records)
    office.faults = [_refusal((1, str(records[1].uuid)), (3, None))]
    report = make_worker(outbox, office).run_once()
    assert report.sent == 3 and report.pending_left == 0 and report.ok
    assert [(s.uuid, s.code) for s in report.set_aside] == [
        (records[1].uuid, "record_invalid"),
        (records[3].uuid, "record_invalid"),
    ]
    resent = [r["uuid"] for r in json.loads(office.requests[1])["records"]]
    assert resent == [str(records[n].uuid) for n in (0, 2, 4)]
    assert len(office.requests) == 2


def test_a_422_naming_a_record_it_was_not_sent_marks_nothing(outbox, office, office_key):
    records = ingest_records(2, office_key.public_key())
    outbox.add(records)
    office.faults = [_refusal((1, "00000000-0000-0000-0000-000000000000"))] * 10
    report = make_worker(outbox, office, retry=RetryPolicy(max_attempts=2)).run_once()
    assert isinstance(report.last_error, ProtocolViolation)
    assert report.set_aside == [] and outbox.status().pending == 2


def test_a_4xx_without_names_splits_the_batch(outbox, office, office_key):
    records = ingest_records(4, office_key.public_key())
    outbox.add(records)
    bad = str(records[2].uuid)

    def refuse(request: httpx.Request, body: dict) -> httpx.Response | None:
        office.faults.insert(0, refuse)
        if any(r["uuid"] == bad for r in body["records"]):
            return _raw(b'{"code": "malformed_body", "ja": "x", "en": "x"}', 400)(request, body)
        return None

    office.faults = [refuse]
    report = make_worker(outbox, office).run_once()
    assert report.sent == 3 and report.pending_left == 0
    assert [(s.uuid, s.code) for s in report.set_aside] == [(records[2].uuid, "failed_alone")]
    assert "HTTP 400 malformed_body" in report.set_aside[0].en
    assert office.sent(bad) == [4, 2, 1]  # a refusal is not retried


def test_too_large_halves_then_sets_aside_the_single_oversize_record(outbox, office, office_key):
    records = ingest_records(4, office_key.public_key())
    outbox.add(records)
    poison = str(records[2].uuid)

    def limit(request: httpx.Request, body: dict) -> httpx.Response | None:
        if len(body["records"]) > 2 or any(r["uuid"] == poison for r in body["records"]):
            office.faults.insert(0, limit)
            return httpx.Response(413)
        office.faults.insert(0, limit)
        return None

    office.faults = [limit]
    report = make_worker(outbox, office).run_once()
    assert report.sent == 3 and report.pending_left == 0
    assert [(s.uuid, s.code) for s in report.set_aside] == [(records[2].uuid, "too_large")]


def test_purges_in_each_pass(outbox, office, office_key):
    records = ingest_records(2, office_key.public_key())
    outbox.add(records)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    outbox.settle([Ack(records[0].uuid, "R-9")], [], now=long_ago)
    report = make_worker(outbox, office).run_once()
    assert report.purged == 1 and report.sent == 1
    assert outbox.receipt(records[0].uuid) is None


def test_run_forever_stops_promptly_even_while_backing_off(outbox, office, office_key):
    outbox.add(ingest_records(1, office_key.public_key()))
    office.faults = [lambda _r, _b: httpx.Response(503)] * 1000
    client = OfficeClient(
        "https://office.test", "t0ken", transport=httpx.MockTransport(office.handler)
    )
    worker = SyncWorker(outbox, client, retry=RetryPolicy(base=60, cap=600, max_attempts=100))
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    deadline = dt.datetime.now() + dt.timedelta(seconds=5)
    while not office.requests and dt.datetime.now() < deadline:
        stop.wait(0.01)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(office.requests) >= 1 and outbox.status().pending == 1


def test_run_forever_delivers_what_arrives_later(outbox, office, office_key):
    client = OfficeClient(
        "https://office.test", "t0ken", transport=httpx.MockTransport(office.handler)
    )
    worker = SyncWorker(outbox, client, poll_interval=0.05)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        outbox.add(ingest_records(3, office_key.public_key()))
        for _ in range(200):
            if outbox.status().sent == 3:
                break
            stop.wait(0.02)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert outbox.status().sent == 3 and not thread.is_alive()


def test_client_repr_and_errors_hide_the_token():
    client = OfficeClient("https://office.test/", "s3cret-token")
    assert "s3cret" not in repr(client)
    assert client.base_url == "https://office.test"
