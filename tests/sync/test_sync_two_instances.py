"""Two back-office instances on one PostgreSQL serve 10 kiosks split between them, through the
kill schedule of the sync fault tests: kiosk `sync run` processes SIGKILLed and restarted,
each instance SIGKILLed mid-batch and started again on the same database, while the kiosks
also ask for call numbers.

Checks: nothing lost or duplicated (every kiosk's records arrive once, with the receipt the
kiosk holds), receipt numbers unique and gap-free (1…N in the office's year), call numbers
unique per office day (one per visit, the same visit asked again gets the same one).
Seed fixed and printed. Every process started here is stopped by its PID.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx
import pytest
from sync_office import Kiosk, Office, assert_consistent
from test_sync_chaos import CHAOS_SEED, SyncProcess

from sync.protocol.counter import CallNumberRequest

KIOSKS = 10
RECORDS_PER_KIOSK = 60
VISITS_PER_KIOSK = 12

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_offices(postgres_server_url: str, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    import sync_office
    from support.postgres import fresh_database

    # 10 kiosk processes and two services on a 2-core machine: a restart may take a while
    monkeypatch.setattr(sync_office, "START_TIMEOUT_S", 240)

    db_url = fresh_database(postgres_server_url, "two_instances")
    data = tmp_path / "office"  # one key folder for both (copied to each machine in production)
    a = Office(data, db_url)
    b = Office(data, db_url)
    b.log_path = data / "office-b.log"
    a.start()
    b.start()
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _call_numbers(
    kiosks: list[Kiosk], offices: tuple[Office, Office], stop: threading.Event
) -> dict[tuple[str, str], tuple[str, str]]:
    """Each kiosk asks its instance for its visits' call numbers (retrying while it is down);
    (kiosk, visit) → (office day, call number)."""
    issued: dict[tuple[str, str], tuple[str, str]] = {}
    lock = threading.Lock()

    def ask(n: int, kiosk: Kiosk) -> None:
        office = offices[n % 2]
        headers = {"Authorization": f"Bearer {kiosk.token}"}
        for visit in range(VISITS_PER_KIOSK):
            body = CallNumberRequest(visit=f"V-{visit:03d}", procedures=["juminhyo"])
            for attempt in range(2):  # the same visit twice: the same number
                while not stop.is_set():
                    try:
                        answer = httpx.post(
                            f"{office.url}/api/v1/call-numbers",
                            json=body.model_dump(mode="json"),
                            headers=headers,
                            timeout=5,
                        )
                    except httpx.HTTPError:
                        time.sleep(0.2)
                        continue
                    if answer.status_code >= 500:
                        time.sleep(0.2)
                        continue
                    assert answer.status_code == 200, answer.text
                    got = (answer.json()["day"], answer.json()["call_number"])
                    with lock:
                        key = (kiosk.name, body.visit)
                        if attempt:
                            assert issued[key] == got, "a visit asked twice got two numbers"
                        issued[key] = got
                    break
            time.sleep(0.05)

    threads = [threading.Thread(target=ask, args=(n, k), daemon=True) for n, k in enumerate(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    return issued


def test_two_instances_ten_kiosks_through_the_kill_schedule(two_offices, tmp_path: Path) -> None:
    a, b = two_offices
    offices = (a, b)
    rng = random.Random(CHAOS_SEED)
    print(f"seed: {CHAOS_SEED}")
    kiosks, records, syncs = [], {}, []
    for n in range(KIOSKS):
        kiosk = Kiosk(a, tmp_path)  # provisioned in the shared database
        records[kiosk.name] = kiosk.queue(RECORDS_PER_KIOSK)
        work = tmp_path / kiosk.name
        work.mkdir()
        syncs.append(SyncProcess(kiosk, offices[n % 2].url, work, batch_size=5))
        kiosks.append(kiosk)
    stop = threading.Event()
    issued: dict[tuple[str, str], tuple[str, str]] = {}
    asker = threading.Thread(
        target=lambda: issued.update(_call_numbers(kiosks, offices, stop)), daemon=True
    )
    try:
        for sync in syncs:
            sync.start()
        asker.start()
        for round_ in range(8):  # the chaos test's schedule, over two instances
            time.sleep(rng.uniform(0.3, 1.2))
            if round_ in (2, 5):
                victim = offices[round_ % 2]
                victim.kill()  # an instance crashes mid-batch…
                time.sleep(rng.uniform(0.2, 1.0))
                victim.start()  # …and comes back on the same database
            else:
                for sync in rng.sample(syncs, 3):
                    sync.kill()
                    sync.start()
        deadline = time.monotonic() + 240
        while any(k.outbox.status().pending for k in kiosks) and time.monotonic() < deadline:
            time.sleep(0.2)
        asker.join(timeout=240)
    finally:
        stop.set()
        for sync in syncs:
            sync.stop()
    print(f"starts: a={a.starts} b={b.starts}; sync kills: {sum(s.kills for s in syncs)}")
    assert a.starts == 2 and b.starts == 2
    assert sum(s.kills for s in syncs) == 18

    for kiosk in kiosks:  # nothing lost, nothing twice, receipts as the kiosk holds them
        assert_consistent(kiosk, records[kiosk.name])
        kiosk.outbox.close()
    stored = a.applications()
    assert len(stored) == KIOSKS * RECORDS_PER_KIOSK
    per_year: dict[str, list[int]] = {}
    for row in stored.values():
        year, number = row.receipt_number.split("-")
        per_year.setdefault(year, []).append(int(number))
    for numbers in per_year.values():  # unique and gap-free in each office year
        assert sorted(numbers) == list(range(1, len(numbers) + 1))

    assert len(issued) == KIOSKS * VISITS_PER_KIOSK, "every visit got its call number"
    assert len(set(issued.values())) == len(issued), "call numbers unique per office day"
