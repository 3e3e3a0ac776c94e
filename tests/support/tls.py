"""Certificates for TLS tests, made with the product's own CA helpers (`backoffice.tls`): a CA
other than the office's, and server certificates that are good, expired, or for another host
name. Only the validity windows and the files are the tests' own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from backoffice.tls import cert_pem, issue_server_cert, key_pem
from backoffice.tls import make_ca as make_office_ca

NOW = dt.datetime.now(dt.UTC)


def make_ca(name: str = "Test CA") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A CA good for 30 days from now (`backoffice.tls.make_ca`)."""
    return make_office_ca(name, now=NOW, days=30)


def server_cert(
    ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate],
    hosts: list[str],
    *,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A server certificate for `hosts` signed by `ca`, good from yesterday for 30 days unless
    told otherwise (`backoffice.tls.issue_server_cert`)."""
    return issue_server_cert(
        *ca,
        hosts,
        not_before=not_before or NOW - dt.timedelta(days=1),
        not_after=not_after or NOW + dt.timedelta(days=30),
    )


def write_pair(
    folder: Path, name: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert_pem(cert))
    key_path.write_bytes(key_pem(key))
    key_path.chmod(0o600)
    return cert_path, key_path


def write_cert(path: Path, cert: x509.Certificate) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cert_pem(cert))
    return path
