"""A private cupsd with cups-pdf queues for the whole session, stopped by PID at the end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from printkit import ABORT_QUEUE, HELD_QUEUE, QUEUE

from printing.cups_server import PrivateCups, cups_pdf_output_dir


@pytest.fixture(scope="session")
def cups() -> Iterator[PrivateCups]:
    output = cups_pdf_output_dir()
    before = set(output.glob("*-job_*.pdf"))
    server = PrivateCups()  # under /tmp: pytest's own temp dirs are closed to user lp
    server.start()
    try:
        server.add_pdf_queue(QUEUE)
        server.add_pdf_queue(HELD_QUEUE, "job-hold-until-default=indefinite")
        server.add_pdf_queue(ABORT_QUEUE, "printer-error-policy=abort-job")
        yield server
    finally:
        server.remove()
        # Whatever cups-pdf wrote for this session's jobs (aborted ones included).
        for path in set(output.glob("*-job_*.pdf")) - before:
            path.unlink(missing_ok=True)


class CupsPdfOutput:
    """Finds what cups-pdf wrote for a job, and deletes it afterwards."""

    def __init__(self) -> None:
        self.folder = cups_pdf_output_dir()
        self.found: list[Path] = []

    def wait_for(self, job_id: int, since: float, timeout: float = 15.0) -> Path:
        # Job ids restart at 1 with every private cupsd: match the suffix and the time.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in self.folder.glob(f"*-job_{job_id}.pdf"):
                if path.stat().st_mtime >= since - 1 and path.stat().st_size > 0:
                    time.sleep(0.1)  # cups-pdf may still be closing it
                    self.found.append(path)
                    return path
            time.sleep(0.05)
        raise AssertionError(f"cups-pdf wrote no file for job {job_id} in {self.folder}")

    def cleanup(self) -> None:
        for path in self.found:
            path.unlink(missing_ok=True)


@pytest.fixture
def cups_output() -> Iterator[CupsPdfOutput]:
    output = CupsPdfOutput()
    yield output
    output.cleanup()
