"""Spooling through a real cupsd with cups-pdf queues; printer problems as typed errors."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from printkit import ABORT_QUEUE, HELD_QUEUE, QUEUE, page_count, stand_in_digits

from forms.catalog import Catalog
from forms.fill import fill
from forms.sample_records import load_sample
from printing.cups_server import PrivateCups
from printing.errors import (
    JobAborted,
    PrinterNotFound,
    PrinterStopped,
    PrintTimeout,
    SaveFailed,
    SpoolerUnavailable,
)
from printing.render import render_application
from printing.spool import CupsSpooler, FolderSpooler, print_with_fallback

pytestmark = pytest.mark.cups


@pytest.fixture(scope="module")
def application_pdf() -> bytes:
    record = load_sample("yoshino_household")
    forms = [fill(t, record) for t in Catalog.builtin().latest()]
    return render_application(
        forms, reception_number="0001", data_qr=stand_in_digits, issued_at=dt.datetime.now(dt.UTC)
    )


def test_job_lands_as_pdf_with_the_right_page_count(cups, cups_output, application_pdf) -> None:
    since = time.time()
    result = CupsSpooler(QUEUE, server=cups.server, timeout=30).print_pdf(
        application_pdf, title="moving_in 0001"
    )
    assert result.job_id is not None and result.spooler == f"cups:{QUEUE}"
    landed = cups_output.wait_for(result.job_id, since)
    assert page_count(landed) == page_count(application_pdf)


def test_no_such_printer(cups) -> None:
    with pytest.raises(PrinterNotFound) as err:
        CupsSpooler("NO_SUCH_QUEUE", server=cups.server, timeout=5).print_pdf(b"%PDF", title="x")
    assert "NO_SUCH_QUEUE" in err.value.ja and "NO_SUCH_QUEUE" in err.value.en


@pytest.mark.parametrize("name", ["", "has space", "a/b", "x" * 200])
def test_impossible_queue_names_are_refused(name: str) -> None:
    with pytest.raises(PrinterNotFound):
        CupsSpooler(name)


def test_stopped_printer(cups, application_pdf) -> None:
    assert cups.run("cupsdisable", QUEUE).returncode == 0
    try:
        with pytest.raises(PrinterStopped) as err:
            CupsSpooler(QUEUE, server=cups.server, timeout=5).print_pdf(application_pdf, title="x")
        assert "cupsenable" in err.value.en
    finally:
        assert cups.run("cupsenable", QUEUE).returncode == 0


def test_printer_not_accepting_jobs(cups, application_pdf) -> None:
    assert cups.run("cupsreject", QUEUE).returncode == 0
    try:
        with pytest.raises(PrinterStopped):
            CupsSpooler(QUEUE, server=cups.server, timeout=5).print_pdf(application_pdf, title="x")
    finally:
        assert cups.run("cupsaccept", QUEUE).returncode == 0


def test_timeout_cancels_the_job(cups, application_pdf) -> None:
    spooler = CupsSpooler(HELD_QUEUE, server=cups.server, timeout=1.0)
    start = time.monotonic()
    with pytest.raises(PrintTimeout) as err:
        spooler.print_pdf(application_pdf, title="held")
    assert 1.0 <= time.monotonic() - start < 5.0
    assert "1" in err.value.en
    # Nothing is left waiting to print hours later.
    assert cups.run("lpstat", "-o", HELD_QUEUE).stdout.strip() == b""


def test_job_that_fails_in_the_filter_is_aborted(cups) -> None:
    garbage = b"%PDF-1.4\n" + os.urandom(2048)
    with pytest.raises(JobAborted) as err:
        CupsSpooler(ABORT_QUEUE, server=cups.server, timeout=20).print_pdf(garbage, title="bad")
    assert err.value.queue == ABORT_QUEUE and err.value.state


def test_scheduler_not_running_is_reported(tmp_path: Path) -> None:
    spooler = CupsSpooler(QUEUE, server=str(tmp_path / "no.sock"), timeout=2)
    with pytest.raises((SpoolerUnavailable, PrinterNotFound)):
        spooler.print_pdf(b"%PDF", title="x")


def test_fallback_saves_the_pdf_and_says_why(cups, tmp_path: Path, application_pdf) -> None:
    outcome = print_with_fallback(
        application_pdf,
        title="juminhyo 0002",
        printer=CupsSpooler("NO_SUCH_QUEUE", server=cups.server, timeout=5),
        fallback=FolderSpooler(tmp_path / "spool"),
    )
    assert outcome.fell_back
    assert isinstance(outcome.printer_error, PrinterNotFound)
    assert outcome.result.path is not None
    assert outcome.result.path.parent == tmp_path / "spool"
    assert outcome.result.path.read_bytes() == application_pdf


def test_fallback_not_used_when_the_printer_works(
    cups, cups_output, tmp_path, application_pdf
) -> None:
    since = time.time()
    outcome = print_with_fallback(
        application_pdf,
        title="ok",
        printer=CupsSpooler(QUEUE, server=cups.server, timeout=30),
        fallback=FolderSpooler(tmp_path / "spool"),
    )
    assert not outcome.fell_back and outcome.result.job_id is not None
    cups_output.wait_for(outcome.result.job_id, since)
    assert not (tmp_path / "spool").exists()


def test_folder_spooler_never_overwrites(tmp_path: Path) -> None:
    spooler = FolderSpooler(tmp_path)
    a = spooler.print_pdf(b"%PDF-a", title="受付 0003/../x")
    b = spooler.print_pdf(b"%PDF-b", title="受付 0003/../x")
    assert a.path != b.path
    assert a.path.parent == tmp_path and b.path.parent == tmp_path
    assert a.path.read_bytes() == b"%PDF-a" and b.path.read_bytes() == b"%PDF-b"


def test_folder_spooler_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SaveFailed):
        FolderSpooler(blocker / "sub").print_pdf(b"%PDF", title="x")


def test_private_cups_stops_by_pid() -> None:
    server = PrivateCups()
    server.start()
    pid = server.process.pid
    server.remove()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not server.root.exists()


def test_private_cups_refuses_a_root_lp_cannot_reach(tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    with pytest.raises(SpoolerUnavailable):
        PrivateCups(closed / "cups").start()
