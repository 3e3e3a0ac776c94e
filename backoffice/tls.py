"""The office's own small CA: a certificate for the back office that only office machines trust.

The back office sits in the individual-number segment, with no public name and no way to a
public CA. `madoguchi backoffice tls init --host NAME [--host ADDR …]` makes, in the data
folder's `tls/`:

    ca.pem       the office CA certificate: handed to every kiosk and reception terminal at
                 enrolment; they trust it and nothing else
    ca.key       its private key (0600): keep it off the server once the certificates exist
    server.pem   the back office's certificate (the names and addresses given), then the CA
    server.key   its private key (0600)

`madoguchi backoffice serve --tls-cert tls/server.pem --tls-key tls/server.key` serves HTTPS
with them (uvicorn's TLS), or Debian's nginx does with the same files (deploy/nginx/). An
office with its own PKI copies its CA certificate to `tls/ca.pem` instead and uses its own
server certificate. Keys are ECDSA P-256; the server certificate lives 825 days at most (the
longest browsers and most clients accept), the CA 10 years.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from forms.errors import MadoguchiError
from forms.private_files import private_dir, write_private

CA_DAYS = 3650
SERVER_DAYS = 825


class TlsSetupError(MadoguchiError):
    code = "tls_setup"

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(ja, en)


@dataclass(frozen=True)
class TlsFiles:
    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca.key"

    @property
    def server_cert(self) -> Path:
        return self.folder / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.folder / "server.key"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Madoguchi office"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _subject_names(hosts: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def make_ca(
    common_name: str, *, now: dt.datetime, days: int = CA_DAYS
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue_server_cert(
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    hosts: list[str],
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A TLS server certificate for `hosts` (DNS names or IP addresses), signed by the CA."""
    if not hosts:
        raise TlsSetupError("ホスト名が必要です（--host）", "at least one --host is needed")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(hosts[0]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(_subject_names(hosts)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def ca_fingerprint(pem: bytes) -> str:
    """SHA-256 over the CA certificate's DER, as `sha256:` and 64 hex digits (what an admin
    compares with `openssl x509 -fingerprint -sha256`)."""
    cert = x509.load_pem_x509_certificate(pem)
    return "sha256:" + cert.fingerprint(hashes.SHA256()).hex()


def init_office_tls(
    folder: Path, hosts: list[str], *, now: dt.datetime, days: int = SERVER_DAYS
) -> TlsFiles:
    """Make the office CA (unless one is there) and a new server certificate for `hosts`."""
    files = TlsFiles(folder)
    private_dir(folder)
    if files.ca_cert.exists() != files.ca_key.exists():
        raise TlsSetupError(
            f"{folder} に ca.pem と ca.key の片方しかありません",
            f"{folder} holds only one of ca.pem and ca.key",
        )
    if files.ca_cert.exists():
        ca_cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
        loaded = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise TlsSetupError("ca.key は EC の鍵ではありません", "ca.key is not an EC key")
        ca_key = loaded
    else:
        ca_key, ca_cert = make_ca("Madoguchi office CA", now=now)
        write_private(files.ca_key, key_pem(ca_key))
        write_private(files.ca_cert, cert_pem(ca_cert))
    server_key, server_cert = issue_server_cert(
        ca_key,
        ca_cert,
        hosts,
        not_before=now - dt.timedelta(minutes=5),
        not_after=now + dt.timedelta(days=days),
    )
    write_private(files.server_key, key_pem(server_key))
    write_private(files.server_cert, cert_pem(server_cert) + cert_pem(ca_cert))
    return files
