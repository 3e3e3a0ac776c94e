"""The back office in a subprocess, for benchmarks, tests and screenshot scripts.

`serve_subprocess()` starts `madoguchi backoffice serve` (as `python -m madoguchi.cli`, the
same command line) on a free loopback port, waits until `/api/v1/health` answers, yields the
base URL, then stops the process by its PID (SIGTERM, wait, then SIGKILL). The lower-level
`wait_until_healthy()`, `stop()` and `kill()` serve callers that start the process themselves
(the sync fault tests crash and restart their office). No Qt here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

HEALTH_PATH = "/api/v1/health"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(
    *,
    data_dir: Path,
    port: int,
    db_url: str | None = None,
    workers: int = 1,
    tls: tuple[Path, Path] | None = None,
    forwarded_allow_ips: str | None = None,
) -> list[str]:
    """The `madoguchi backoffice serve` command line, run by this interpreter.

    `tls`: (certificate chain, key) to serve HTTPS with."""
    command = [sys.executable, "-m", "madoguchi.cli", "backoffice", "serve"]
    if db_url is not None:
        command += ["--db", db_url]
    if tls is not None:
        command += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
    if forwarded_allow_ips is not None:
        command += ["--forwarded-allow-ips", forwarded_allow_ips]
    return [*command, "--data-dir", str(data_dir), "--port", str(port), "--workers", str(workers)]


def wait_until_healthy(
    base_url: str,
    process: subprocess.Popen[bytes],
    *,
    timeout: float = START_TIMEOUT_S,
    log_path: Path | None = None,
    verify: ssl.SSLContext | bool = True,
) -> None:
    """Poll the health endpoint until it answers 200; raise if the process exits or time runs
    out (the caller stops the process). `verify`: how to check an https:// server."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path else ""
            raise RuntimeError(f"the back office exited (code {process.returncode}): {tail}")
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(f"{base_url}{HEALTH_PATH}", timeout=1, verify=verify)
            if answer.status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the back office did not answer within {timeout:g} s")
        time.sleep(0.1)


def kill(process: subprocess.Popen[bytes], *, timeout: float = STOP_TIMEOUT_S) -> None:
    """SIGKILL by PID and reap: a crash, not a shutdown."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout)


def stop(process: subprocess.Popen[bytes], *, timeout: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM by PID, wait up to `timeout`, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(process, timeout=timeout)


@contextlib.contextmanager
def serve_subprocess(
    *,
    data_dir: Path,
    db_url: str | None = None,
    port: int | None = None,
    workers: int = 1,
    log_path: Path | None = None,
    cwd: Path | None = None,
    start_timeout: float = START_TIMEOUT_S,
    stop_timeout: float = STOP_TIMEOUT_S,
    tls: tuple[Path, Path] | None = None,
    ca_file: Path | None = None,
    host: str = "127.0.0.1",
    forwarded_allow_ips: str | None = None,
) -> Iterator[str]:
    """Run the back office until the block ends; yields its base URL. Its output goes to
    `log_path` (overwritten) or nowhere.

    `tls` (certificate chain, key) serves HTTPS; the health check then trusts `ca_file` only
    and reaches the server as `host` (a name its certificate carries)."""
    port = port or free_port()
    command = serve_command(
        data_dir=data_dir,
        port=port,
        db_url=db_url,
        workers=workers,
        tls=tls,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    with log_path.open("wb") if log_path else contextlib.nullcontext(subprocess.DEVNULL) as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
    base_url = f"{'https' if tls else 'http'}://{host}:{port}"
    verify: ssl.SSLContext | bool = True
    if ca_file is not None:
        verify = ssl.create_default_context(cafile=str(ca_file))
    try:
        wait_until_healthy(
            base_url, process, timeout=start_timeout, log_path=log_path, verify=verify
        )
        yield base_url
    finally:
        stop(process, timeout=stop_timeout)
