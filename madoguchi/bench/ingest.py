"""`madoguchi bench ingest`: the back office's ingest rate with 10 concurrent kiosks.

For PostgreSQL (a throwaway cluster, `backoffice.devdb`, fsync on) and for SQLite (WAL,
synchronous=FULL), each in turn:

* set-up (not timed): a fresh back office (`madoguchi backoffice serve`, one uvicorn worker,
  its own process) with 10 kiosk terminals; N applications from the shipped sample residents,
  over every shipped template, sealed to the office key with a small placeholder PDF, and cut
  into request bodies of 100 records (the protocol's and the sync worker's batch size);
* timed: 10 kiosk threads, each with its own credential and HTTP connection, push the
  batches as fast as the server answers. Figures: records/s, and p50/p99 latency per request;
* baseline, in the same run: the same rows (as the back office stores them) inserted into a
  fresh database of the same kind with the same schema by a plain batched INSERT
  (executemany, 100 rows per transaction). The ratio is ingest rate / plain INSERT rate.

`--runs` repeats the timed pass (fresh UUIDs each time) and reports the median rate;
`--count` sets the records per run (default 5000).

`--instances N` (PostgreSQL only): N back offices (`serve` processes, each on its own port, one
data folder) on the one database, the 10 kiosks split between them round-robin, as behind a
load balancer. The machine's worker processes are shared out (SERVER_WORKERS // N each, at
least one), so 1 and 2 instances compare on the same cores; the figures show what the
receipt-counter row lock costs when two services take turns at it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import queue
import tempfile
import threading
import time
import uuid
from pathlib import Path

from madoguchi.bench.stats import line, median, ms, percentile

KIOSKS = 10
SERVER_WORKERS = 2  # one per core of the 2-core machines this is measured on
BATCH = 100
RECORDS = 5000
TARGET_POSTGRES_RATE = 2000.0
TARGET_RATIO = 0.2
_PDF = b"%PDF-1.4\n" + b"% placeholder page content\n" * 80 + b"%%EOF\n"


def run(args) -> None:
    from backoffice.devdb import throwaway_postgres

    runs = args.runs or 1
    instances = max(1, getattr(args, "instances", 1) or 1)
    count = getattr(args, "count", None) or RECORDS
    line("kiosks", KIOSKS)
    line("instances", instances)
    line("server_workers", _workers(instances) * instances)
    line("batch_size", BATCH, "records")
    line("records_per_run", count)
    line("pdf_size", len(_PDF), "bytes")
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        root = Path(tmp)
        with throwaway_postgres(durable=True) as server_url:
            base = server_url.rsplit("/", 1)[0]
            pg_rate, pg_ratio = _bench_one(
                kind="postgres",
                url=f"{base}/ingest_bench",
                plain_url=f"{base}/plain_bench",
                server_url=server_url,
                data_dir=root / "pg",
                runs=runs,
                instances=instances,
                count=count,
            )
        if instances > 1:
            line("sqlite", "skipped (one service per SQLite file)")
            line("target_postgres_rate", TARGET_POSTGRES_RATE, "records/s")
            return
        _bench_one(
            kind="sqlite",
            url=f"sqlite:///{root / 'sq' / 'backoffice.db'}",
            plain_url=f"sqlite:///{root / 'plain.db'}",
            server_url=None,
            data_dir=root / "sq",
            runs=runs,
            count=count,
        )
    line("target_postgres_rate", TARGET_POSTGRES_RATE, "records/s")
    line("target_ratio", TARGET_RATIO)
    met = pg_rate >= TARGET_POSTGRES_RATE and pg_ratio >= TARGET_RATIO
    line("target_met", "yes" if met else "no")


def _workers(instances: int) -> int:
    return max(1, SERVER_WORKERS // instances)


def _bench_one(
    *,
    kind: str,
    url: str,
    plain_url: str,
    server_url: str | None,
    data_dir: Path,
    runs: int,
    instances: int = 1,
    count: int = RECORDS,
) -> tuple[float, float]:
    import contextlib

    from backoffice.devserver import serve_subprocess

    if server_url is not None:
        _create_database(server_url, url.rsplit("/", 1)[1])
        _create_database(server_url, plain_url.rsplit("/", 1)[1])
    tokens, public_key = _prepare_office(url, data_dir)
    rates: list[float] = []
    latencies: list[float] = []
    stored_rows: list[dict] = []
    with contextlib.ExitStack() as stack:
        bases = [
            stack.enter_context(
                serve_subprocess(
                    data_dir=data_dir,
                    db_url=url,
                    workers=_workers(instances),
                    log_path=data_dir / f"server-{n}.log",
                    stop_timeout=15,
                )
            )
            for n in range(instances)
        ]
        for _ in range(runs):
            bodies, rows = _make_batches(public_key, count)
            stored_rows = rows
            seconds, lat, accepted = _push(bases, tokens, bodies)
            if accepted != count:
                raise RuntimeError(f"{kind}: only {accepted} of {count} accepted")
            rates.append(count / seconds)
            latencies += lat
    rate = median(rates)
    plain = _plain_insert_rate(plain_url, stored_rows)
    ratio = rate / plain
    line(f"{kind}_ingest_rate", rate, "records/s")
    line(f"{kind}_request_p50", ms(percentile(latencies, 50)), "ms")
    line(f"{kind}_request_p99", ms(percentile(latencies, 99)), "ms")
    line(f"{kind}_plain_insert_rate", plain, "rows/s")
    line(f"{kind}_ratio_ingest_vs_plain_insert", ratio)
    return rate, ratio


# -- set-up -------------------------------------------------------------------------------


def _create_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def _prepare_office(url: str, data_dir: Path):
    from backoffice.context import open_context
    from backoffice.services.accounts import add_terminal
    from backoffice.settings import BackofficeSettings
    from sync.protocol.vocabulary import Role

    context = open_context(BackofficeSettings(data_dir=data_dir, db_url=url))
    try:
        with context.sessions() as session, session.begin():
            tokens = [add_terminal(session, f"bench-{n}", Role.KIOSK) for n in range(KIOSKS)]
        return tokens, context.private_key.public_key()
    finally:
        context.close()


def _samples():
    from forms.catalog import Catalog
    from forms.fill import fill
    from forms.sample_records import load_sample, sample_names

    records = [load_sample(n) for n in sample_names()]
    pairs = []
    for template in Catalog.builtin().latest():
        pairs += [(template, r) for r in records if fill(template, r).ok]
    return pairs


def _make_batches(public_key, count: int) -> tuple[list[bytes], list[dict]]:
    """Request bodies, and the rows the back office will store for them (for the baseline)."""
    from forms.payload.prune import record_for_form
    from sync.protocol import IngestRecord, Mode, SealedContent, ingest_key
    from sync.sealing import seal

    pairs = _samples()
    now = dt.datetime.now(dt.UTC)
    pdf64 = base64.b64encode(_PDF).decode("ascii")
    records, rows = [], []
    for n in range(count):
        template, record = pairs[n % len(pairs)]
        record = record.model_copy(update={"id": uuid.uuid4()})  # each its own session
        record_json = record_for_form(record, template).model_dump_json()  # as a kiosk seals it
        content = SealedContent(record=json.loads(record_json), pdf=pdf64)
        wire = IngestRecord(
            uuid=ingest_key(record.id, template.id),  # the key the back office checks
            template_id=template.id,
            template_version=template.version,
            kiosk_id=f"bench-{n % KIOSKS}",
            mode=Mode.RESIDENT,
            created_at=now,
            reception_number=f"B-{n:05d}",
            sealed=seal(content, public_key),
        )
        records.append(wire.model_dump(mode="json"))
        rows.append(
            {
                "uuid": wire.uuid,
                "receipt_number": f"{now.year}-{n + 1:06d}",
                "body_sha256": hashlib.sha256(wire.sealed.encode()).hexdigest(),
                "template_id": template.id,
                "template_version": template.version,
                "kiosk_id": wire.kiosk_id,
                "terminal": wire.kiosk_id,
                "mode": "resident",
                "reception_number": wire.reception_number,
                "created_at": now,
                "received_at": now,
                "status": "received",
                "status_changed_at": now,
                "status_changed_by": f"terminal:{wire.kiosk_id}",
                "return_reason": None,
                "record_json": record_json,
                "measurement_json": "{}",
                "pdf": _PDF,
                "visit_key": record.id,  # as ingest stores it: the session is the visit
            }
        )
    bodies = [
        json.dumps({"records": records[i : i + BATCH]}).encode("utf-8")
        for i in range(0, count, BATCH)
    ]
    return bodies, rows


# -- timed --------------------------------------------------------------------------------


def _push(
    bases: list[str], tokens: list[str], bodies: list[bytes]
) -> tuple[float, list[float], int]:
    """Kiosk n talks to instance n % len(bases) (the load balancer's split)."""
    import httpx

    work: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    for body in bodies:
        work.put(body)
    latencies: list[float] = []
    accepted = [0]
    failures: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(tokens) + 1, timeout=60)

    def kiosk(token: str, base: str) -> None:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            start_gate.wait()
            while True:
                try:
                    body = work.get_nowait()
                except queue.Empty:
                    return
                t0 = time.perf_counter()
                answer = client.post("/api/v1/ingest", content=body)
                took = time.perf_counter() - t0
                with lock:
                    latencies.append(took)
                    if answer.status_code != 200:
                        failures.append(str(answer.status_code))
                        continue
                    accepted[0] += sum(
                        1 for r in answer.json()["results"] if r["status"] == "accepted"
                    )

    threads = [
        threading.Thread(target=kiosk, args=(t, bases[n % len(bases)]), daemon=True)
        for n, t in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    seconds = time.perf_counter() - t0
    if failures:
        raise RuntimeError(f"ingest failed: HTTP {sorted(set(failures))}")
    return seconds, latencies, accepted[0]


def _plain_insert_rate(url: str, rows: list[dict]) -> float:
    from sqlalchemy import insert

    from backoffice import migrate
    from backoffice.db import make_engine
    from backoffice.models import Application

    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        t0 = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            with engine.begin() as conn:
                conn.execute(insert(Application), rows[i : i + BATCH])
        return len(rows) / (time.perf_counter() - t0)
    finally:
        engine.dispose()
