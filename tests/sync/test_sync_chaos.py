"""The kiosk's `madoguchi sync run` process SIGKILLed at random instants, and the big run:
2,000 applications through random network faults, kiosk kills and a back-office crash.

Seeds are fixed and printed, so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultproxy import Fault, FaultProxy
from sync_office import Kiosk, assert_consistent

CHAOS_SEED = 20250602
RANDOM_FAULTS = {
    Fault.PASS: 0.62,
    Fault.DELAY: 0.08,
    Fault.CUT: 0.05,
    Fault.RESET: 0.05,
    Fault.TRUNCATE: 0.05,
    Fault.DROP_RESPONSE: 0.07,
    Fault.ERROR_500: 0.05,
    Fault.SLOW: 0.03,
}


class SyncProcess:
    """`madoguchi sync run` as the kiosk runs it, in its own process."""

    def __init__(self, kiosk: Kiosk, server_url: str, workdir: Path, batch_size: int = 50) -> None:
        self.token_file = workdir / f"{kiosk.name}.token"
        self.token_file.write_text(kiosk.token + "\n", encoding="utf-8")
        self.args = [
            sys.executable,
            "-m",
            "madoguchi.cli",
            "sync",
            "run",
            "--db",
            str(kiosk.outbox.path),
            "--server",
            server_url,
            "--token-file",
            str(self.token_file),
            "--no-templates",
            "--interval",
            "0.1",
            "--timeout",
            "1.0",
            "--retry-cap",
            "0.5",
            "--batch-size",
            str(batch_size),
        ]
        self.env = {
            **os.environ,
            "MADOGUCHI_DATA_DIR": str(workdir),
            "MADOGUCHI_KIOSK_ID": kiosk.name,
        }
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.args,
            cwd=self.workdir,  # not the repository: tests/ must not shadow our packages
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "sync.log").open("ab"),
        )

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.kills += 1
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def once(self, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.args, "--once", "--json"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _wait_drained(kiosk: Kiosk, deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    while kiosk.outbox.status().pending and time.monotonic() < deadline:
        time.sleep(0.1)


def _wait_for_progress(kiosk: Kiosk, sent_before: int, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while kiosk.outbox.status().sent == sent_before and time.monotonic() < deadline:
        time.sleep(0.02)


def test_kiosk_killed_mid_push_and_restarted(office, tmp_path):
    rng = random.Random(CHAOS_SEED)
    print(f"seed: {CHAOS_SEED}")
    kiosk = Kiosk(office, tmp_path)
    records = kiosk.queue(600)
    sync = SyncProcess(kiosk, office.url, tmp_path, batch_size=5)
    mid_push = 0
    try:
        for _ in range(6):
            before = kiosk.outbox.status().sent
            sync.start()
            _wait_for_progress(kiosk, before)  # the process is up and pushing…
            time.sleep(rng.uniform(0.0, 0.3))  # …then a random instant within the push
            sync.kill()
            status = kiosk.outbox.status()
            mid_push += 0 < status.pending < len(records)
        result = sync.once()
    finally:
        sync.stop()
    assert result.returncode == 0, result.stderr
    assert sync.kills == 6
    assert mid_push >= 3, "the kills should land while the outbox is being pushed"
    assert_consistent(kiosk, records)
    kiosk.outbox.close()


@pytest.mark.slow
def test_two_thousand_applications_under_random_faults(office, tmp_path):
    """0 lost, 0 duplicated, every status consistent, PRAGMA integrity_check ok."""
    rng = random.Random(CHAOS_SEED)
    print(f"seed: {CHAOS_SEED}")
    kiosk = Kiosk(office, tmp_path)
    records = kiosk.queue(2000)
    policy = FaultProxy.random(CHAOS_SEED, RANDOM_FAULTS)
    with FaultProxy(("127.0.0.1", office.port), policy, delay=0.1, slow=1.2) as proxy:
        sync = SyncProcess(kiosk, proxy.url, tmp_path)
        try:
            sync.start()
            for round_ in range(8):
                time.sleep(rng.uniform(0.5, 2.0))
                if round_ == 3:
                    office.kill()  # the back office crashes mid-batch…
                    time.sleep(rng.uniform(0.2, 1.0))
                    office.start()  # …and comes back on the same database
                else:
                    sync.kill()
                    sync.start()
            _wait_drained(kiosk, deadline_s=240)
        finally:
            sync.stop()
        print(
            f"faults: {dict(proxy.stats)}; kiosk kills: {sync.kills}; office starts: {office.starts}"
        )
        assert sum(n for f, n in proxy.stats.items() if f != Fault.PASS) >= 20
    assert sync.kills == 7
    assert_consistent(kiosk, records)
    kiosk.outbox.close()
