"""Each application installs apart: a fresh venv with only one extra runs its part, and lacks
what the other parts need.

- `.[staff]`: `madoguchi staff --help` runs; SQLAlchemy is not there (the reception terminal
  holds no database).
- `.[preentry]`: the pre-entry site serves its start page; PySide6, pyscard and SQLAlchemy
  are not there (the internet-facing site carries no kiosk code).
- `.[kiosk]`: `madoguchi kiosk --help` runs and the scripted resident goes through the real
  window offscreen, offline; FastAPI and psycopg are not there (a client never holds the
  server).

Each venv is made with `python -m venv` (no system site packages) and pip as scripts/setup.sh
calls it, so the machine's pip configuration (index, find-links) applies and pip's wheel
cache makes the second run quick. Needs the package index: marker `venvs`, not in --fast.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

pytestmark = [pytest.mark.venvs, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]


class Venv:
    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.python = root / "bin" / "python"
        self.madoguchi = root / "bin" / "madoguchi"
        self.cwd = home  # never the repository: its folders would shadow the install
        self.env = clean_env(root, home)

    def run(self, args: Sequence[str | Path], timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(a) for a in args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def importable(self, module: str) -> bool:
        done = self.run([self.python, "-c", f"import {module}"])
        if done.returncode == 0:
            return True
        assert "ModuleNotFoundError" in done.stderr, done.stderr[-2000:]
        return False


def clean_env(venv: Path, home: Path) -> dict[str, str]:
    """This process's environment (pip's configuration and proxies stay), without the test
    run's virtual environment or import path; Madoguchi's files under `home`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}
        and not k.startswith("MADOGUCHI_")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["MADOGUCHI_HOME"] = str(home)
    env["XDG_DATA_HOME"] = str(home / "share")
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def build(tmp_path: Path, extra: str) -> Venv:
    """`python -m venv` + `pip install -e <repo>[extra]`, as scripts/setup.sh does for [all]."""
    root, home = tmp_path / f"venv-{extra}", tmp_path / "home"
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=120)
    venv = Venv(root, home)
    for args in (
        ["-m", "pip", "install", "-q", "--upgrade", "pip"],
        ["-m", "pip", "install", "-q", "-e", f"{REPO}[{extra}]"],
    ):
        done = venv.run([venv.python, *args], timeout=840)
        assert done.returncode == 0, f"pip {' '.join(args[2:])}:\n{done.stderr[-4000:]}"
    config = venv.run([venv.python, "-c", "import sys; print(sys.prefix != sys.base_prefix)"])
    assert config.stdout.strip() == "True"
    return venv


def test_staff_venv_runs_the_reception_terminal_without_a_database(tmp_path: Path) -> None:
    venv = build(tmp_path, "staff")
    done = venv.run([venv.madoguchi, "staff", "--help"])
    assert done.returncode == 0, done.stderr[-4000:]
    assert "--server" in done.stdout
    assert not venv.importable("sqlalchemy")
    for absent in ("fastapi", "psycopg", "smartcard"):
        assert not venv.importable(absent), absent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        return response.status, response.read().decode("utf-8")


@pytest.fixture
def preentry_site(tmp_path: Path) -> Iterator[tuple[Venv, str]]:
    venv = build(tmp_path, "preentry")
    port = free_port()
    log = (tmp_path / "preentry.log").open("w")
    server = subprocess.Popen(
        [str(venv.madoguchi), "preentry", "serve", "--port", str(port), "--log-level", "warning"],
        cwd=venv.cwd,
        env=venv.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "preentry.log").read_text()[-4000:]
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the pre-entry site did not answer in 60 s"
            time.sleep(0.2)
        yield venv, base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_preentry_venv_serves_the_site_without_kiosk_or_database(
    preentry_site: tuple[Venv, str],
) -> None:
    venv, base = preentry_site
    status, page = get(f"{base}/")
    assert status == 200
    assert "<html" in page.lower()
    for absent in ("PySide6", "smartcard", "sqlalchemy", "psycopg"):
        assert not venv.importable(absent), absent


def test_kiosk_venv_runs_the_kiosk_without_the_server(tmp_path: Path) -> None:
    venv = build(tmp_path, "kiosk")
    done = venv.run([venv.madoguchi, "kiosk", "--help"])
    assert done.returncode == 0, done.stderr[-4000:]
    assert "--demo" in done.stdout
    for absent in ("fastapi", "psycopg", "starlette", "uvicorn"):
        assert not venv.importable(absent), absent
    # The scripted resident through the real window, offscreen; no back office is installed,
    # so the demo kit works offline and the outbox keeps the record.
    out = tmp_path / "demo"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kiosk.demo import build_demo\n"
        "from kiosk.gui.launch import run_demo_headless\n"
        "kit = build_demo(Path(sys.argv[1]))\n"
        "try:\n"
        "    result = run_demo_headless(kit)\n"
        "finally:\n"
        "    kit.close()\n"
        "print(result.reception_number)\n"
        "print(len(result.printed))\n"
    )
    done = venv.run([venv.python, "-c", script, out], timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    number, printed = done.stdout.split()[-2:]
    assert number
    assert int(printed) >= 1
    assert (out / "outbox.sqlite3").exists()
