"""Concurrent requests against a real uvicorn server: the same key from many threads at once,
and many kiosks at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from backoffice_factory import personal_strings, sample_for, sealed_record
from sqlalchemy import func, select

from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.models import Application
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.vocabulary import Role

THREADS = 16


@pytest.fixture(params=[1, 2], ids=["1worker", "2workers"])
def server(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict]:  # type: ignore[type-arg]
    """A real server: one uvicorn worker, and two worker processes racing each other."""
    settings = BackofficeSettings(data_dir=tmp_path / "office", db_url=db_url)
    context = open_context(settings)  # migrates, makes the key pair the server will load
    with context.sessions() as session, session.begin():
        tokens = [accounts.add_terminal(session, f"kiosk-{n}", Role.KIOSK) for n in range(THREADS)]
    log = tmp_path / "server.log"
    with serve_subprocess(
        data_dir=settings.data_dir,
        db_url=db_url,
        workers=request.param,
        log_path=log,
        start_timeout=30,
    ) as base:
        yield {"base": base, "tokens": tokens, "context": context, "log": log}
    context.close()


def post(base: str, token: str, records: list[dict]) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/ingest",
        json={"records": records},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )


def stored(context) -> int:  # type: ignore[no-untyped-def]
    with context.sessions() as session:
        return session.scalar(select(func.count(Application.id))) or 0


def all_at_once(count: int, task) -> list:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(count, timeout=30)

    def run(n: int):  # type: ignore[no-untyped-def]
        barrier.wait()
        return task(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_same_key_from_many_threads_is_accepted_exactly_once(server) -> None:  # type: ignore[no-untyped-def]
    public = server["context"].private_key.public_key()
    record = sealed_record(public)
    answers = all_at_once(THREADS, lambda n: post(server["base"], server["tokens"][n], [record]))
    assert all(a.status_code == 200 for a in answers)
    results = [a.json()["results"][0] for a in answers]
    assert Counter(r["status"] for r in results) == {"accepted": 1, "duplicate": THREADS - 1}
    assert len({r["receipt_number"] for r in results}) == 1
    assert stored(server["context"]) == 1


def test_same_key_with_different_bodies_at_once_stores_one(server) -> None:  # type: ignore[no-untyped-def]
    public = server["context"].private_key.public_key()
    resident = sample_for("juminhyo", 1).model_copy(update={"id": uuid.uuid4()})
    # one application (one key), sealed twice: two bodies
    bodies = [sealed_record(public, record=resident), sealed_record(public, record=resident)]
    answers = all_at_once(
        THREADS, lambda n: post(server["base"], server["tokens"][n], [bodies[n % 2]])
    )
    results = [a.json()["results"][0] for a in answers]
    statuses = Counter(r["status"] for r in results)
    assert statuses["accepted"] == 1
    assert statuses["duplicate"] + statuses["conflict"] == THREADS - 1
    winner = next(n for n, r in enumerate(results) if r["status"] == "accepted") % 2
    for n, r in enumerate(results):
        if r["status"] != "accepted":
            assert r["status"] == ("duplicate" if n % 2 == winner else "conflict")
    assert stored(server["context"]) == 1


def test_many_kiosks_at_once_get_unique_gapless_receipts(server) -> None:  # type: ignore[no-untyped-def]
    public = server["context"].private_key.public_key()
    batches = [[sealed_record(public) for _ in range(5)] for _ in range(THREADS)]
    answers = all_at_once(THREADS, lambda n: post(server["base"], server["tokens"][n], batches[n]))
    numbers = [
        r["receipt_number"]
        for a in answers
        for r in a.json()["results"]
        if r["status"] == "accepted"
    ]
    assert len(numbers) == THREADS * 5
    year = numbers[0][:4]
    assert sorted(numbers) == [f"{year}-{n:06d}" for n in range(1, THREADS * 5 + 1)]
    assert stored(server["context"]) == THREADS * 5
    # the server's own log holds no personal data
    text = server["log"].read_text("utf-8", errors="replace")
    assert "ingest batch" in text
    leaked = [s for s in personal_strings() if s in text]
    assert not leaked, leaked
