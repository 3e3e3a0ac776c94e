"""A private `cupsd` for tests and benchmarks: own config, spool and socket; stopped by PID.

It never touches the system scheduler: everything lives under one folder, it listens on a
domain socket there and on a free localhost port, and `stop()` ends exactly the process it
started. Queues use the `cups-pdf` virtual printer, which writes into the submitting user's
`Out` folder from /etc/cups/cups-pdf.conf (root: /root/PDF) as `<title>-job_<id>.pdf`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from printing.errors import SpoolerUnavailable

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
START_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cups_pdf_output_dir(home: str | None = None) -> Path:
    """Where cups-pdf writes for the current user: `Out` of /etc/cups/cups-pdf.conf."""
    home = home or os.path.expanduser("~")
    out = "${HOME}/PDF"
    try:
        for line in Path("/etc/cups/cups-pdf.conf").read_text("utf-8").splitlines():
            m = re.match(r"\s*Out\s+(\S+)", line)
            if m:
                out = m.group(1)
    except OSError:
        pass
    return Path(out.replace("${HOME}", home))


class PrivateCups:
    """`root` must be reachable by user `lp` (filters run as lp and read the spool files);
    by default a fresh folder under the system temp dir, removed by `remove()`."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="madoguchi-cups-"))
        self.socket = self.root / "cups.sock"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def server(self) -> str:
        """The CUPS_SERVER value that reaches this scheduler."""
        return str(self.socket)

    def env(self) -> dict[str, str]:
        return dict(os.environ, CUPS_SERVER=self.server, LANG="C", LC_ALL="C")

    def _write_config(self) -> None:
        r = self.root
        r.mkdir(parents=True, exist_ok=True)
        r.chmod(0o755)  # filters run as user lp and need to reach tmp/
        for sub in ("conf", "spool", "cache", "state", "log"):
            (r / sub).mkdir(parents=True, exist_ok=True)
        tmp = r / "tmp"
        tmp.mkdir(exist_ok=True)
        tmp.chmod(0o1777)  # filters run as user lp
        (r / "conf" / "cups-files.conf").write_text(
            f"ServerRoot {r}/conf\nRequestRoot {r}/spool\nCacheDir {r}/cache\n"
            f"StateDir {r}/state\nTempDir {tmp}\nErrorLog {r}/log/error_log\n"
            f"AccessLog {r}/log/access_log\nPageLog {r}/log/page_log\n"
            "User lp\nGroup lp\nSystemGroup root\n",
            "utf-8",
        )
        (r / "conf" / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nListen {self.socket}\nBrowsing Off\n"
            "LogLevel warn\nWebInterface No\nDefaultAuthType None\nMaxJobs 0\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            "utf-8",
        )

    def start(self) -> None:
        if not Path(CUPSD).exists():
            raise SpoolerUnavailable("cupsd がありません / cupsd not installed")
        for folder in self.root.resolve().parents:
            if not os.stat(folder).st_mode & 0o001:
                raise SpoolerUnavailable(
                    f"{folder} に lp ユーザーが入れません / user lp cannot enter {folder}"
                )
        self._write_config()
        conf = self.root / "conf"
        self.process = subprocess.Popen(
            [CUPSD, "-f", "-c", str(conf / "cupsd.conf"), "-s", str(conf / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SpoolerUnavailable("cupsd が起動しません / cupsd exited at start")
            probe = subprocess.run(
                ["lpstat", "-r"], env=self.env(), capture_output=True, timeout=5, check=False
            )
            if b"is running" in probe.stdout:
                return
            time.sleep(0.1)
        self.stop()
        raise SpoolerUnavailable("cupsd 起動待ちタイムアウト / cupsd did not start in time")

    def lpadmin(self, *args: str) -> None:
        out = subprocess.run(
            ["lpadmin", *args], env=self.env(), capture_output=True, timeout=15, check=False
        )
        if out.returncode != 0:
            raise SpoolerUnavailable(f"lpadmin: {out.stderr.decode('utf-8', 'replace').strip()}")

    def add_pdf_queue(self, name: str, *options: str) -> None:
        """A cups-pdf queue, enabled and accepting; `options` as `-o key=value` pairs."""
        extra = [a for o in options for a in ("-o", o)]
        self.lpadmin("-p", name, "-v", "cups-pdf:/", "-P", CUPS_PDF_PPD, "-E", *extra)

    def run(self, *argv: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(argv, env=self.env(), capture_output=True, timeout=15, check=False)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PrivateCups:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
