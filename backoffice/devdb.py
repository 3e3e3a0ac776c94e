"""A throwaway PostgreSQL 15 cluster for benchmarks, tests and trying the back office out.

`throwaway_postgres()` initialises a fresh cluster in a temporary directory, starts it on a
free loopback port with its socket in that directory, yields a SQLAlchemy URL
(`postgresql+psycopg://…`), then stops it (`pg_ctl stop -m fast`, then SIGKILL by PID if it
is still there) and removes the directory. PostgreSQL refuses to run as root, so as root the
server binaries run as the `postgres` user through `runuser`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from backoffice.devserver import free_port
from backoffice.errors import BackofficeError

log = logging.getLogger(__name__)

PG_BIN = Path(os.environ.get("MADOGUCHI_PG_BIN", "/usr/lib/postgresql/15/bin"))
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
DATABASE = "madoguchi"


class PostgresUnavailable(BackofficeError):
    code = "postgres_unavailable"

    def __init__(self, step: str) -> None:
        super().__init__(
            f"一時 PostgreSQL を起動できません（{step}）",
            f"cannot start a throwaway PostgreSQL ({step})",
        )


@dataclass
class Cluster:
    root: Path
    port: int
    run_as: str | None  # the OS user the server runs as (None: the current user)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def command(self, program: str, *args: str) -> list[str]:
        cmd = [str(PG_BIN / program), *args]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data_dir / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None


def _run(cmd: list[str], step: str, timeout: float) -> None:
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        log.error("postgres %s failed: %s", step, detail.decode("utf-8", "replace")[-2000:])
        raise PostgresUnavailable(step) from None


def start(*, durable: bool = True) -> Cluster:
    """Start a fresh cluster; `durable=False` turns fsync off (tests only)."""
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="madoguchi-pg-"))
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    root.chmod(0o700)
    cluster = Cluster(root, free_port(), run_as)
    try:
        _run(
            cluster.command(
                "initdb",
                "-D",
                str(cluster.data_dir),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ),
            "initdb",
            START_TIMEOUT_S,
        )
        options = (
            f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=100"
            + ("" if durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        )
        _run(
            cluster.command(
                "pg_ctl",
                "-D",
                str(cluster.data_dir),
                "-l",
                str(root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "start",
            ),
            "pg_ctl start",
            START_TIMEOUT_S + 10,
        )
        _run(
            cluster.command(
                "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", DATABASE
            ),
            "createdb",
            START_TIMEOUT_S,
        )
    except BaseException:
        stop(cluster)
        raise
    return cluster


def stop(cluster: Cluster) -> None:
    """Stop the server (fast, then by PID) and remove its directory."""
    pid = cluster.postmaster_pid()
    if pid is not None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                cluster.command(
                    "pg_ctl",
                    "-D",
                    str(cluster.data_dir),
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    str(STOP_TIMEOUT_S),
                    "stop",
                ),
                capture_output=True,
                check=False,
                timeout=STOP_TIMEOUT_S + 10,
            )
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    shutil.rmtree(cluster.root, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def throwaway_postgres(*, durable: bool = True) -> Iterator[str]:
    cluster = start(durable=durable)
    try:
        yield cluster.url
    finally:
        stop(cluster)
