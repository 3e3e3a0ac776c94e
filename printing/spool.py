"""Sending a PDF to a printer: CUPS through `lp`, followed to completion, or a folder as fallback.

`CupsSpooler` submits with `lp`, then asks the scheduler for the job's state with `ipptool`
(Get-Job-Attributes; cups-ipp-utils, which the `cups` package pulls in) until the job is
completed, and turns every other ending into a typed error: `PrinterNotFound`,
`PrinterStopped`, `JobAborted`, `PrintTimeout`. `lpstat` alone cannot tell a completed job
from an aborted one, which is why the state comes from IPP.

Every call here blocks, with a timeout on every wait: the kiosk calls it from its printer
worker thread, never from the GUI thread.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from printing.errors import (
    JobAborted,
    PrinterNotFound,
    PrinterStopped,
    PrintTimeout,
    SaveFailed,
    SpoolError,
    SpoolerUnavailable,
)

COMMAND_TIMEOUT = 10.0  # s for one lp/lpstat/ipptool call

# Get-Job-Attributes as an ipptool test; $uri is the job's URI.
_JOB_STATE_TEST = """{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri job-uri $uri
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-state,job-state-reasons
  STATUS successful-ok
  DISPLAY job-state
  DISPLAY job-state-reasons
}
"""


@dataclass(frozen=True)
class PrintResult:
    spooler: str  # "cups:QUEUE" or "folder:PATH"
    job_id: int | None = None
    path: Path | None = None  # where a folder spooler saved the PDF
    seconds: float = 0.0


class Spooler(Protocol):
    name: str

    def print_pdf(self, pdf: bytes, *, title: str) -> PrintResult:
        """Print (or save) `pdf`; raise a SpoolError subclass when it does not happen."""
        ...


@dataclass(frozen=True)
class JobState:
    state: (
        str  # pending, pending-held, processing, processing-stopped, canceled, aborted, completed
    )
    reasons: str


class CupsSpooler:
    """A named CUPS queue. `server` is a CUPS_SERVER value (host:port or socket path)."""

    def __init__(
        self,
        queue: str,
        *,
        server: str | None = None,
        timeout: float = 60.0,
        poll: float = 0.05,
    ) -> None:
        if not re.fullmatch(r"[^\s/#@\\'\"]{1,127}", queue):
            raise PrinterNotFound(queue)
        self.queue = queue
        self.server = server
        self.timeout = timeout
        self.poll = poll
        self.name = f"cups:{queue}"

    # --- commands -----------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = dict(os.environ, LANG="C", LC_ALL="C")
        if self.server:
            env["CUPS_SERVER"] = self.server
        return env

    def _run(self, *argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                argv,
                input=stdin,
                capture_output=True,
                env=self._env(),
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            raise SpoolerUnavailable(f"{argv[0]} がありません / {argv[0]} not installed") from None
        except subprocess.TimeoutExpired:
            raise SpoolerUnavailable(f"{argv[0]} 応答なし / {argv[0]} timed out") from None

    def printer_state(self) -> str:
        """`idle`, `printing` or `disabled`; PrinterNotFound when the queue does not exist."""
        out = self._run("lpstat", "-p", self.queue)
        text = (out.stdout + out.stderr).decode("utf-8", "replace")
        if out.returncode != 0 or f"printer {self.queue} " not in text:
            if "scheduler is not running" in text or "Unable to connect" in text:
                raise SpoolerUnavailable("CUPS スケジューラ停止 / scheduler not running")
            raise PrinterNotFound(self.queue)
        if "disabled" in text:
            return "disabled"
        return "printing" if "now printing" in text else "idle"

    def printer_status(self) -> tuple[str, list[str]]:
        """The queue's state for the kiosk's heartbeat: (`idle` | `processing` | `stopped`,
        the CUPS printer-state-reasons such as `media-empty-error`), from `lpstat -l -p`."""
        out = self._run("lpstat", "-l", "-p", self.queue)
        text = (out.stdout + out.stderr).decode("utf-8", "replace")
        if out.returncode != 0 or f"printer {self.queue} " not in text:
            if "scheduler is not running" in text.lower() or "Unable to connect" in text:
                raise SpoolerUnavailable("CUPS スケジューラ停止 / scheduler not running")
            raise PrinterNotFound(self.queue)
        return parse_lpstat_long(text)

    def accepting(self) -> bool:
        out = self._run("lpstat", "-a", self.queue)
        return out.returncode == 0 and b"not accepting" not in out.stdout

    def submit(self, pdf: bytes, *, title: str) -> int:
        out = self._run("lp", "-d", self.queue, "-t", title, "-", stdin=pdf)
        text = (out.stdout + out.stderr).decode("utf-8", "replace")
        match = re.search(r"request id is \S+-(\d+)", text)
        if out.returncode == 0 and match:
            return int(match.group(1))
        if "does not exist" in text or "Invalid destination" in text:
            raise PrinterNotFound(self.queue)
        if "not accepting" in text:
            raise PrinterStopped(self.queue)
        if "scheduler is not running" in text or "Unable to connect" in text:
            raise SpoolerUnavailable("CUPS スケジューラ停止 / scheduler not running")
        raise SpoolerUnavailable("lp が失敗しました / lp failed")

    def job_uri(self, job_id: int) -> str:
        server = self.server or os.environ.get("CUPS_SERVER") or "localhost:631"
        if server.startswith("/"):  # a domain socket, as CUPS spells it in a URI
            return f"ipp://{urllib.parse.quote(server, safe='')}/jobs/{job_id}"
        host = server if ":" in server else f"{server}:631"
        return f"ipp://{host}/jobs/{job_id}"

    def job_state(self, job_id: int, test_file: str) -> JobState:
        out = self._run("ipptool", "-T", "5", "-c", self.job_uri(job_id), test_file)
        rows = out.stdout.decode("utf-8", "replace").strip().splitlines()
        if out.returncode != 0 or len(rows) < 2:
            raise SpoolerUnavailable("ジョブ状態を取得できません / cannot read the job state")
        state, _, reasons = rows[-1].partition(",")
        return JobState(state.strip(), reasons.strip().strip('"'))

    def cancel(self, job_id: int) -> None:
        self._run("cancel", f"{self.queue}-{job_id}")

    # --- the whole job --------------------------------------------------------------------
    def print_pdf(self, pdf: bytes, *, title: str) -> PrintResult:
        start = time.monotonic()
        if self.printer_state() == "disabled":
            raise PrinterStopped(self.queue)
        job_id = self.submit(pdf, title=title)
        with tempfile.NamedTemporaryFile("w", suffix=".test", encoding="ascii") as test:
            test.write(_JOB_STATE_TEST)
            test.flush()
            self.follow(job_id, test.name, start)
        return PrintResult(self.name, job_id=job_id, seconds=time.monotonic() - start)

    def follow(self, job_id: int, test_file: str, start: float) -> None:
        deadline = start + self.timeout
        while True:
            job = self.job_state(job_id, test_file)
            if job.state == "completed":
                return
            if job.state in ("aborted", "canceled"):
                raise JobAborted(self.queue, job_id, job.state)
            if job.state == "processing-stopped":  # a filter or the backend failed
                self.cancel(job_id)
                raise JobAborted(self.queue, job_id, f"{job.state}: {job.reasons}")
            if job.state == "pending" and self.printer_state() == "disabled":
                # A stopped queue keeps the job; cancel it so it does not print hours later.
                self.cancel(job_id)
                raise PrinterStopped(self.queue)
            if time.monotonic() >= deadline:
                self.cancel(job_id)
                raise PrintTimeout(self.queue, self.timeout)
            time.sleep(self.poll)


def parse_lpstat_long(text: str) -> tuple[str, list[str]]:
    """`lpstat -l -p QUEUE` (LANG=C) → (state, reasons). The state line says `idle`,
    `now printing` or `disabled`; the `Alerts:` line lists the printer-state-reasons
    (`none` when there are none)."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if "disabled" in first:
        state = "stopped"
    elif "now printing" in first:
        state = "processing"
    elif " is idle" in first:
        state = "idle"
    else:
        state = "unknown"
    reasons: list[str] = []
    for line in text.splitlines():
        label, _, rest = line.strip().partition(":")
        if label == "Alerts":
            reasons = [w for w in rest.replace(",", " ").split() if w and w != "none"]
    return state, reasons


class FolderSpooler:
    """The fallback: save the PDF in a folder (e.g. one the staff print from later)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = f"folder:{self.path}"

    def print_pdf(self, pdf: bytes, *, title: str) -> PrintResult:
        start = time.monotonic()
        stem = re.sub(r"[^0-9A-Za-z_\-]+", "_", title).strip("_")[:60] or "print"
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            # mkstemp: never overwrite an earlier copy, even with the same title.
            fd, name = tempfile.mkstemp(prefix=f"{stem}-", suffix=".pdf", dir=self.path)
            with os.fdopen(fd, "wb") as out:
                out.write(pdf)
        except OSError:
            raise SaveFailed(str(self.path)) from None
        return PrintResult(self.name, path=Path(name), seconds=time.monotonic() - start)


@dataclass(frozen=True)
class PrintOutcome:
    result: PrintResult
    printer_error: SpoolError | None = None  # why the fallback was used

    @property
    def fell_back(self) -> bool:
        return self.printer_error is not None


def print_with_fallback(
    pdf: bytes, *, title: str, printer: Spooler, fallback: Spooler
) -> PrintOutcome:
    """Print on `printer`; on any printer problem save through `fallback` and say why.

    A failure of the fallback itself propagates (SaveFailed): then nothing was kept.
    """
    try:
        return PrintOutcome(printer.print_pdf(pdf, title=title))
    except SpoolError as exc:
        return PrintOutcome(fallback.print_pdf(pdf, title=title), printer_error=exc)
