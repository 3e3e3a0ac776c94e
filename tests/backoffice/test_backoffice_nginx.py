"""The documented nginx path: the shipped deploy/nginx/madoguchi-backoffice.conf, with only its
ports, server name, certificate paths and upstream port put in, in a real nginx in front of a
real `madoguchi backoffice serve`, with real TLS handshakes from the kiosk's own client pinned
to the office CA (certificates from tests/support/tls.py). nginx and the back office are
started here and stopped by their PIDs."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from backoffice_factory import sealed_record
from sqlalchemy import select

from backoffice.context import open_context
from backoffice.devserver import free_port, serve_subprocess
from backoffice.models import EnrolmentFailure
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.client import OfficeClient
from sync.errors import UntrustedServer
from sync.protocol.vocabulary import Role
from tests.support import tls as testtls

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx" / "madoguchi-backoffice.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="needs nginx (scripts/setup.sh)")


def render(folder: Path, *, https: int, http: int, upstream: int, cert: Path, key: Path) -> Path:
    """The shipped site with this test's ports and files, inside a minimal nginx.conf."""
    site = SHIPPED.read_text()
    replacements = [
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        (r"listen \[::\]:443 ssl http2;", ""),  # no IPv6 in the test container
        (r"listen 80 default_server;", f"listen 127.0.0.1:{http} default_server;"),
        (r"listen \[::\]:80 default_server;", ""),
        (r"server_name office\.example;", "server_name localhost;"),
        (r"ssl_certificate +\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};"),
        (r"proxy_pass http://127\.0\.0\.1:8700;", f"proxy_pass http://127.0.0.1:{upstream};"),
    ]
    for pattern, value in replacements:
        site, n = re.subn(pattern, value, site)
        assert n == 1, f"the shipped config changed: {pattern!r}"
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    temp = " ".join(
        f"{name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"user root;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} info;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; {temp} include {folder / 'site.conf'}; }}\n"
    )
    return main


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        assert process.poll() is None, log.read_text(errors="replace")[-2000:]
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        assert time.monotonic() < deadline, "nginx did not listen"
        time.sleep(0.1)


@contextlib.contextmanager
def nginx(conf: Path, folder: Path, port: int) -> Iterator[None]:
    test = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True
    )
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, folder / "error.log")
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGQUIT)  # graceful: the master stops its workers
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("nginx")
    data = root / "office"
    context = open_context(BackofficeSettings(data_dir=data))
    with context.sessions() as session, session.begin():
        token = accounts.add_terminal(session, "kiosk-1", Role.KIOSK)
    public = context.private_key.public_key()
    context.close()
    ca = testtls.make_ca("Office CA")
    ca_file = testtls.write_cert(root / "ca.pem", ca[1])
    cert, key = testtls.write_pair(root, "server", *testtls.server_cert(ca, ["localhost"]))
    chain = root / "chain.pem"
    chain.write_bytes(cert.read_bytes() + ca_file.read_bytes())
    upstream, https, http = free_port(), free_port(), free_port()
    conf = render(root, https=https, http=http, upstream=upstream, cert=chain, key=key)
    with (
        serve_subprocess(
            data_dir=data,
            port=upstream,
            log_path=root / "backoffice.log",
            forwarded_allow_ips="127.0.0.1",
        ),
        nginx(conf, root, https),
    ):
        yield {
            "url": f"https://localhost:{https}",
            "http": http,
            "ca": ca_file,
            "token": token,
            "public": public,
            "data": data,
        }


def test_the_kiosk_client_through_nginx_with_the_office_ca(proxied: dict) -> None:
    with OfficeClient(proxied["url"], proxied["token"], ca_file=proxied["ca"]) as client:
        assert client.whoami().name == "kiosk-1"
        assert client.office_keys().current.fingerprint.startswith("sha256:")
    record = sealed_record(proxied["public"])  # a real sealed application (~hundreds of kB)
    answer = httpx.post(
        f"{proxied['url']}/api/v1/ingest",
        json={"records": [record]},
        headers={"Authorization": f"Bearer {proxied['token']}"},
        verify=str(proxied["ca"]),
        timeout=30,
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "accepted"
    assert "nginx/" not in answer.headers.get("server", "")  # server_tokens off: no version
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_another_ca_is_refused_at_nginx(proxied: dict, tmp_path: Path) -> None:
    _, other = testtls.make_ca("Someone else's CA")
    wrong = testtls.write_cert(tmp_path / "other.pem", other)
    with (
        OfficeClient(proxied["url"], proxied["token"], ca_file=wrong) as client,
        pytest.raises(UntrustedServer),
    ):
        client.whoami()


def test_plain_http_answers_nothing(proxied: dict) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"http://127.0.0.1:{proxied['http']}/api/v1/health", timeout=5)


def test_the_client_address_is_nginxs_not_a_claimed_one(proxied: dict) -> None:
    answer = httpx.post(
        f"{proxied['url']}/api/v1/enrol",
        json={"code": "ABCD-EFGH-JKLM-NPQR"},
        headers={"X-Forwarded-For": "203.0.113.9"},
        verify=str(proxied["ca"]),
    )
    assert answer.status_code == 401, answer.text  # a wrong code, counted against the address
    context = open_context(BackofficeSettings(data_dir=proxied["data"]))
    try:
        with context.sessions() as session:
            addresses = set(session.scalars(select(EnrolmentFailure.address)))
    finally:
        context.close()
    assert addresses == {"127.0.0.1"}
