"""Start pcscd when none runs (tests, benchmark, demo), and stop only what was started here.

`pcscd --foreground`, never `-a`: APDU logging would write PINs to its log. A pcscd that was
already running is used as it is and left running. One that an earlier run of ours started and
left behind (its owner process is gone) is adopted and stopped at the end, by its PID.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from smartcard import scard

from devices.card.errors import CardIOError

log = logging.getLogger(__name__)

SOCKET = Path("/run/pcscd/pcscd.comm")
MARKER = Path(tempfile.gettempdir()) / "madoguchi-pcscd.json"


def service_up() -> bool:
    """True when something answers on pcscd's socket."""
    path = os.environ.get("PCSCLITE_CSOCK_NAME", str(SOCKET))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def list_readers() -> list[str]:
    """Reader names from a fresh PC/SC context (empty when pcscd is not there)."""
    result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if result != scard.SCARD_S_SUCCESS:
        return []
    try:
        result, readers = scard.SCardListReaders(context, [])
        return list(readers) if result == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_pcscd(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return Path(cmdline.decode(errors="replace")).name == "pcscd"


def _leftover_of_ours() -> int | None:
    try:
        marker = json.loads(MARKER.read_text())
        pid, owner = int(marker["pid"]), int(marker["owner"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if _alive(pid) and _is_pcscd(pid) and not _alive(owner):
        return pid
    return None


class Pcscd:
    """A handle on the pcscd in use; `started` says whether `stop()` will end it."""

    def __init__(self, pid: int | None, process: subprocess.Popen[bytes] | None) -> None:
        self.pid = pid
        self._process = process
        self.was_started = pid is not None  # stays True after stop(), for reports

    @property
    def started(self) -> bool:
        return self.pid is not None

    @classmethod
    def ensure(cls, *, reader: str | None = None, timeout: float = 10.0) -> Pcscd:
        """A running pcscd (ours if none ran); with `reader`, wait until it lists that reader."""
        handle: Pcscd
        if service_up():
            leftover = _leftover_of_ours()
            if leftover is not None:
                log.info("adopting pcscd left by an earlier run (pid %d)", leftover)
                MARKER.write_text(json.dumps({"pid": leftover, "owner": os.getpid()}))
            handle = cls(leftover, None)
        else:
            handle = cls._start(timeout)
        if reader is not None:
            deadline = time.monotonic() + timeout
            while reader not in list_readers():
                if time.monotonic() > deadline:
                    handle.stop()
                    raise CardIOError(f"pcscd lists no reader {reader!r}")
                time.sleep(0.05)
        return handle

    @classmethod
    def _start(cls, timeout: float) -> Pcscd:
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        process = subprocess.Popen(
            [binary, "--foreground"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C meant for us does not reach it first
        )
        MARKER.write_text(json.dumps({"pid": process.pid, "owner": os.getpid()}))
        handle = cls(process.pid, process)
        deadline = time.monotonic() + timeout
        while not service_up():
            if process.poll() is not None:
                handle.pid = None
                raise CardIOError(f"pcscd exited at start (status {process.returncode})")
            if time.monotonic() > deadline:
                handle.stop()
                raise CardIOError("pcscd did not open its socket")
            time.sleep(0.02)
        log.info("started pcscd (pid %d)", process.pid)
        return handle

    def stop(self, timeout: float = 5.0) -> None:
        """End the pcscd this handle started (or adopted), by PID; a no-op otherwise."""
        pid, self.pid = self.pid, None
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None:
                if self._process.poll() is not None:
                    break
            elif not _alive(pid):
                break
            time.sleep(0.02)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            if self._process is not None:
                self._process.wait(timeout)
        with contextlib.suppress(OSError, ValueError, KeyError):
            if json.loads(MARKER.read_text())["pid"] == pid:
                MARKER.unlink()
        log.info("stopped pcscd (pid %d)", pid)
