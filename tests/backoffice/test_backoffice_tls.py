"""HTTPS with uvicorn's TLS (`backoffice serve --tls-cert --tls-key`): real handshakes.

The office CA and server certificate come from `madoguchi backoffice tls init`; the test's own
CA, an expired certificate and one for another host name are made with the same helpers
(`backoffice.tls`, through tests/support/tls.py). Terminals trust only the office CA they were given: a good handshake
passes; a wrong CA, an expired certificate and a wrong host name are refused before anything
is sent (`UntrustedServer`), by the client and by `madoguchi sync run`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from backoffice.devserver import serve_subprocess
from madoguchi.cli import main
from sync.client import OfficeClient
from sync.errors import CaFileError, UntrustedServer
from tests.support import tls as testtls


@pytest.fixture(scope="module")
def office_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("tls-office")
    assert (
        main(
            [
                "backoffice",
                "tls",
                "init",
                "--data-dir",
                str(data),
                "--host",
                "127.0.0.1",
                "--host",
                "localhost",
                "--json",
            ]
        )
        == 0
    )
    return data


@pytest.fixture(scope="module")
def kiosk_token(office_dir: Path) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "madoguchi.cli",
            "backoffice",
            "terminal",
            "add",
            "kiosk-1",
            "--data-dir",
            str(office_dir),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)["token"]


def _serve(office_dir: Path, cert: Path, key: Path, log: Path):  # type: ignore[no-untyped-def]
    return serve_subprocess(
        data_dir=office_dir,
        tls=(cert, key),
        ca_file=office_dir / "tls" / "ca.pem",
        log_path=log,
    )


@pytest.fixture(scope="module")
def good_server(office_dir: Path, kiosk_token: str) -> Iterator[str]:
    tls = office_dir / "tls"
    with _serve(office_dir, tls / "server.pem", tls / "server.key", office_dir / "good.log") as url:
        yield url


def test_a_good_handshake_with_the_office_ca(
    good_server: str, office_dir: Path, kiosk_token
) -> None:
    ca = office_dir / "tls" / "ca.pem"
    assert good_server.startswith("https://127.0.0.1:")
    with OfficeClient(good_server, kiosk_token, ca_file=ca) as client:
        assert client.whoami().name == "kiosk-1"
        assert client.office_keys().current.fingerprint.startswith("sha256:")
    port = good_server.rsplit(":", 1)[1]
    with OfficeClient(f"https://localhost:{port}", ca_file=ca) as client:
        assert client.call_board().entries == []  # the certificate names localhost too


def test_another_ca_is_refused(good_server: str, tmp_path: Path, kiosk_token: str) -> None:
    _, other_ca = testtls.make_ca("Someone else's CA")
    wrong = testtls.write_cert(tmp_path / "other-ca.pem", other_ca)
    with (
        OfficeClient(good_server, kiosk_token, ca_file=wrong) as client,
        pytest.raises(UntrustedServer) as refused,
    ):
        client.whoami()
    assert "certificate" in refused.value.en and "証明書" in refused.value.ja


def test_the_system_trust_store_is_not_used(tmp_path: Path) -> None:
    """The office CA is the only anchor: a context built from it holds exactly one CA."""
    from sync.client import office_tls_context

    _, ca = testtls.make_ca()
    context = office_tls_context(testtls.write_cert(tmp_path / "ca.pem", ca))
    assert len(context.get_ca_certs()) == 1 and context.check_hostname
    (tmp_path / "junk.pem").write_text("not a certificate")
    for bad in (tmp_path / "junk.pem", tmp_path / "missing.pem"):
        with pytest.raises(CaFileError):
            office_tls_context(bad)


def _office_ca(office_dir: Path):  # type: ignore[no-untyped-def]
    """The office CA made by `tls init` (key and certificate), to issue bad certificates."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    tls = office_dir / "tls"
    key = serialization.load_pem_private_key((tls / "ca.key").read_bytes(), password=None)
    return key, x509.load_pem_x509_certificate((tls / "ca.pem").read_bytes())


@pytest.mark.parametrize(
    ("hosts", "window", "reason"),
    [
        (["127.0.0.1", "localhost"], (-30, -1), "expired"),
        (["office.example"], (-1, 30), "mismatch"),
    ],
    ids=["expired", "wrong-host-name"],
)
def test_bad_server_certificates_are_refused(  # noqa: PLR0917 (fixtures and parameters)
    office_dir: Path, tmp_path: Path, kiosk_token: str, hosts, window, reason: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    key, cert = testtls.server_cert(
        _office_ca(office_dir),
        hosts,
        not_before=now + dt.timedelta(days=window[0]),
        not_after=now + dt.timedelta(days=window[1]),
    )
    cert_path, key_path = testtls.write_pair(tmp_path, "server", key, cert)
    ca = office_dir / "tls" / "ca.pem"
    from backoffice.devserver import free_port, serve_command, stop

    port = free_port()
    log = (tmp_path / "office.log").open("wb")
    process = subprocess.Popen(
        serve_command(data_dir=office_dir, port=port, tls=(cert_path, key_path)),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"https://127.0.0.1:{port}"
        _wait_for_handshake(url, process)
        with (
            OfficeClient(url, kiosk_token, ca_file=ca) as client,
            pytest.raises(UntrustedServer) as refused,
        ):
            client.whoami()
        assert reason in refused.value.en.lower() or (
            reason == "mismatch" and "match" in refused.value.en.lower()
        ), refused.value.en
        # `madoguchi sync run` refuses it too, saying why, and sends nothing
        env = {
            **os.environ,
            "MADOGUCHI_DATA_DIR": str(tmp_path / "kiosk"),
            "MADOGUCHI_SERVER_URL": url,
            "MADOGUCHI_OFFICE_CA": str(ca),
            "MADOGUCHI_KIOSK_ID": "kiosk-1",
        }
        (tmp_path / "kiosk").mkdir()
        (tmp_path / "kiosk" / "terminal.token").write_text(kiosk_token)
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "madoguchi.cli",
                "sync",
                "run",
                "--once",
                "--timeout",
                "5",
                "--retry-cap",
                "0.1",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 1, run.stderr
        assert "not trusted" in run.stderr and kiosk_token not in run.stderr
    finally:
        stop(process)
        log.close()


def _wait_for_handshake(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until the server answers TLS at all (any certificate): the port is then open."""
    import socket
    import ssl
    import time
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to learn that the server is up
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the back office exited"
        try:
            with (
                socket.create_connection((parts.hostname, parts.port), timeout=1) as raw,
                context.wrap_socket(raw, server_hostname=parts.hostname),
            ):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the back office did not start")


def test_sync_run_over_https_with_the_enrolled_ca(
    good_server: str, office_dir: Path, tmp_path, kiosk_token
) -> None:
    kiosk = tmp_path / "kiosk"
    kiosk.mkdir()
    (kiosk / "terminal.token").write_text(kiosk_token)
    env = {
        **os.environ,
        "MADOGUCHI_DATA_DIR": str(kiosk),
        "MADOGUCHI_SERVER_URL": good_server,
        "MADOGUCHI_KIOSK_ID": "kiosk-1",
    }
    base = [sys.executable, "-m", "madoguchi.cli", "sync", "run", "--once", "--json"]
    missing = subprocess.run(base, env=env, capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0 and "office_ca.pem" in missing.stderr  # https needs the CA
    (kiosk / "office_ca.pem").write_bytes((office_dir / "tls" / "ca.pem").read_bytes())
    ok = subprocess.run(base, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    assert report["office_key"]["changed"] is True  # and it pulled the office key
    assert (kiosk / "office_public.pem").exists()


def test_serve_refuses_half_a_tls_configuration(tmp_path: Path, capsys) -> None:
    assert main(["backoffice", "serve", "--data-dir", str(tmp_path), "--tls-cert", "x.pem"]) == 1
    assert "--tls-key" in capsys.readouterr().err


def test_a_kiosk_enrols_over_https_from_the_admins_qr_code(
    good_server: str, office_dir: Path, tmp_path: Path
) -> None:
    """The documented set-up: `terminal enrol` on the office, `kiosk enrol --qr-image` on the
    new machine (trusting nothing yet), then `sync run` with only what enrolment wrote."""

    def madoguchi(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "madoguchi.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    qr = tmp_path / "enrol.png"
    made = madoguchi(
        "backoffice",
        "terminal",
        "enrol",
        "kiosk-tls",
        "--url",
        good_server,
        "--qr-out",
        str(qr),
        "--data-dir",
        str(office_dir),
    )
    assert made.returncode == 0, made.stderr
    kiosk, keys_dir = tmp_path / "kiosk", tmp_path / "keys"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MADOGUCHI_")}
    enrolled = madoguchi(
        "kiosk",
        "enrol",
        "--qr-image",
        str(qr),
        "--data-dir",
        str(kiosk),
        "--keys",
        str(keys_dir),
        "--json",
        env=env,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    assert json.loads(enrolled.stdout)["name"] == "kiosk-tls"
    ca = (kiosk / "office_ca.pem").read_bytes()
    assert ca == (office_dir / "tls" / "ca.pem").read_bytes()
    assert (keys_dir / "kiosk-signing.key").stat().st_mode & 0o777 == 0o600
    listed = madoguchi("backoffice", "terminal", "list", "--json", "--data-dir", str(office_dir))
    [row] = [t for t in json.loads(listed.stdout) if t["name"] == "kiosk-tls"]
    assert row["signing_key"] and not row["pending"]

    synced = madoguchi(
        "sync", "run", "--once", "--json", env={**env, "MADOGUCHI_DATA_DIR": str(kiosk)}
    )
    assert synced.returncode == 0, synced.stderr
    again = madoguchi(
        "kiosk",
        "enrol",
        "--qr-image",
        str(qr),
        "--data-dir",
        str(tmp_path / "thief"),
        "--keys",
        str(keys_dir),
        env=env,
    )
    assert again.returncode != 0 and "used or expired" in again.stderr  # once only
