"""Enrolling this machine with a one-time code: the new terminal's side.

`enrol(server_url, code, data_dir=…, role=…)` runs the two steps of
`sync.protocol.enrolment`, checks the office's proof before the code leaves this machine,
and writes what it receives into the data folder (0600 files in 0700 folders, each written
whole or not at all):

    terminal.token      the terminal's credential (never shown)
    office_ca.pem       the office CA: the only certificate authority trusted from now on
    office_public.pem   the office's current X25519 key (kiosks seal to it; sync keeps it
                        current after a rotation)
    enrolment.json      server URL, terminal name and role, office key fingerprint, when

Nothing secret is typed or copied by hand: the admin's screen shows a short-lived code (typed,
or scanned as a QR code with the server's URL in it), and everything else arrives here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from pydantic import ValidationError

from forms.errors import MadoguchiError
from forms.payload import keys
from forms.private_files import make_dirs, private_dir
from sync.client import DEFAULT_TIMEOUT, OfficeClient, error_from, require_secure_url
from sync.errors import ProtocolViolation, ServerUnavailable
from sync.protocol import API_PREFIX
from sync.protocol.enrolment import (
    EnrolHelloAnswer,
    EnrolmentGranted,
    lookup_of,
    normalise_code,
    proof,
)
from sync.protocol.vocabulary import Role

TOKEN_FILE = "terminal.token"
CA_FILE = "office_ca.pem"
OFFICE_KEY_FILE = "office_public.pem"
ENROLMENT_FILE = "enrolment.json"


class OfficeNotProven(MadoguchiError):
    """The answer to step 1 does not carry the proof only the office that made the code has."""

    code = "enrolment_not_proven"

    def __init__(self) -> None:
        super().__init__(
            "接続先が登録コードを発行した窓口サーバーであることを確認できません（コードは送っていません）",
            "cannot confirm this is the back office that made the code (the code was not sent)",
        )


class WrongEnrolmentRole(MadoguchiError):
    code = "enrolment_wrong_role"

    def __init__(self, wanted: Role, got: Role) -> None:
        super().__init__(
            f"このコードは {got.value} 用です（{wanted.value} 用のコードが必要です）",
            f"this code enrols a {got.value}, not a {wanted.value}",
        )


class NoOfficeCa(MadoguchiError):
    code = "enrolment_no_ca"

    def __init__(self) -> None:
        super().__init__(
            "窓口サーバーが認証局の証明書を持っていません（backoffice tls init）",
            "the back office has no CA certificate to hand out (backoffice tls init)",
        )


@dataclass(frozen=True)
class Enrolled:
    name: str
    role: Role
    server_url: str
    office_key_fingerprint: str
    data_dir: Path

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "role": self.role.value,
            "server_url": self.server_url,
            "office_key_fingerprint": self.office_key_fingerprint,
            "data_dir": str(self.data_dir),
        }


def write_private_atomically(path: Path, data: bytes) -> None:
    """`data` into `path`: 0600 from the first byte, in a 0700 folder, whole or not at all."""
    make_dirs(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def read_enrolment(data_dir: Path) -> dict[str, str]:
    """What enrolment recorded in `data_dir` (server URL, name, role…); {} if not enrolled."""
    path = data_dir / ENROLMENT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _hello(
    url: str, code: str, timeout: httpx.Timeout | float, transport: httpx.BaseTransport | None
) -> EnrolHelloAnswer:
    """Step 1 over a connection not yet verified: only the code's first group is sent."""
    try:
        with httpx.Client(
            base_url=url + API_PREFIX,
            timeout=timeout,
            transport=transport,
            verify=False,
            follow_redirects=False,
        ) as http:
            response = http.post("/enrol/hello", json={"lookup": lookup_of(code)})
    except httpx.TimeoutException:
        raise ServerUnavailable("timeout") from None
    except httpx.TransportError as exc:
        raise ServerUnavailable(type(exc).__name__) from None
    if response.status_code >= 400:
        raise error_from(response)
    try:
        return EnrolHelloAnswer.model_validate_json(response.content)
    except ValidationError:
        raise ProtocolViolation("enrol/hello") from None


def enrol(
    server_url: str,
    code: str,
    *,
    data_dir: Path,
    role: Role,
    signing_public_key_pem: str | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    now: dt.datetime | None = None,
) -> Enrolled:
    """Enrol this machine as a `role` terminal; see the module docstring."""
    url = require_secure_url(server_url, "server_url")
    code = normalise_code(code)
    https = url.lower().startswith("https://")
    answer = _hello(url, code, timeout, transport)
    if not hmac.compare_digest(answer.proof, proof(code, answer.ca_pem)):
        raise OfficeNotProven()
    if answer.role is not role:
        raise WrongEnrolmentRole(role, answer.role)
    if https and not answer.ca_pem:
        raise NoOfficeCa()
    private_dir(data_dir)
    ca_path = data_dir / CA_FILE
    if answer.ca_pem:
        write_private_atomically(ca_path, answer.ca_pem.encode("ascii"))
    body = {"code": code, "signing_public_key_pem": signing_public_key_pem}
    with OfficeClient(
        url, timeout=timeout, transport=transport, ca_file=ca_path if https else None
    ) as client:
        granted = client.answer(EnrolmentGranted, "POST", "/enrol", json=body)
    office_key = keys.parse_public_pem(granted.office_key.public_key_pem.encode("ascii"))
    if (
        not isinstance(office_key, X25519PublicKey)
        or keys.fingerprint(office_key) != granted.office_key.fingerprint
    ):
        raise ProtocolViolation("enrol: the office key is not an X25519 key with its fingerprint")
    write_private_atomically(data_dir / TOKEN_FILE, granted.token.encode("ascii") + b"\n")
    keys.save_public_key(office_key, data_dir / OFFICE_KEY_FILE)
    enrolled = Enrolled(granted.name, granted.role, url, granted.office_key.fingerprint, data_dir)
    record = {
        **{k: v for k, v in enrolled.as_dict().items() if k != "data_dir"},
        "enrolled_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
    }
    write_private_atomically(
        data_dir / ENROLMENT_FILE, json.dumps(record, ensure_ascii=False, indent=2).encode()
    )
    return enrolled
