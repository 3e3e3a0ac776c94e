"""One-time enrolment codes: the wire types and the code itself, for both ends.

An admin makes an enrolment (`POST /enrolments`, or `madoguchi backoffice terminal enrol`):
a terminal name, a role (kiosk or reception) and a code of 16 Crockford base32 characters,
shown as `XXXX-XXXX-XXXX-XXXX` and as a QR code (`qr_text`: the server URL and the code). It
is single-use and lives 10 minutes.

The new machine (`madoguchi kiosk enrol`, `madoguchi staff enrol`) then:

1. `POST /enrol/hello {lookup}` with the code's first group only, over a connection it cannot
   verify yet. The office answers its CA certificate and `proof` = HMAC-SHA256 keyed by the
   whole code over that certificate. Only the office that made the code can compute it, so
   the machine now trusts that CA, and nobody in between has seen the code.
2. `POST /enrol {code, signing key}` over TLS verified against that CA: the office answers the
   terminal's token, its current public key (with fingerprint) and the CA again.

Wrong codes (at either step) count per client address: 5 within an hour lock the address out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from urllib.parse import parse_qs, quote, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from forms.errors import MadoguchiError
from sync.protocol.office import NAME_FIELD, OfficeKey
from sync.protocol.vocabulary import Role

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 16  # 80 bits
LOOKUP_LENGTH = 4  # the first group: finds the enrolment, proves nothing
QR_SCHEME = "madoguchi-enrol"
_PROOF_CONTEXT = b"madoguchi enrolment v1\x00"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


class BadEnrolmentCode(MadoguchiError):
    code = "bad_enrolment_code"

    def __init__(self) -> None:
        super().__init__(
            "登録コードの形式が違います（XXXX-XXXX-XXXX-XXXX の16文字）",
            "not an enrolment code (16 characters, XXXX-XXXX-XXXX-XXXX)",
        )


class BadEnrolmentQr(MadoguchiError):
    code = "bad_enrolment_qr"

    def __init__(self) -> None:
        super().__init__(
            "登録用の QR コードではありません", "this QR code is not a Madoguchi enrolment code"
        )


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """Upper case, dashes and spaces dropped, O→0 and I/L→1 (as typed from a screen)."""
    code = text.strip().upper().translate(_CONFUSABLE)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        raise BadEnrolmentCode()
    return code


def format_code(code: str) -> str:
    code = normalise_code(code)
    return "-".join(code[n : n + 4] for n in range(0, CODE_LENGTH, 4))


def lookup_of(code: str) -> str:
    return normalise_code(code)[:LOOKUP_LENGTH]


def code_sha256(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii")).hexdigest()


def proof(code: str, ca_pem: str | None) -> str:
    """HMAC-SHA256, keyed by the code, over the office CA certificate (empty without TLS)."""
    message = _PROOF_CONTEXT + (ca_pem or "").encode("ascii")
    return hmac.new(normalise_code(code).encode("ascii"), message, hashlib.sha256).hexdigest()


def qr_text(server_url: str, code: str) -> str:
    """What the enrolment QR code carries: the back office's URL and the code."""
    return f"{QR_SCHEME}:?server={quote(server_url, safe=':/')}&code={format_code(code)}"


def parse_qr_text(text: str) -> tuple[str, str]:
    """(server URL, code) from an enrolment QR code's text."""
    parts = urlsplit(text.strip())
    if parts.scheme != QR_SCHEME:
        raise BadEnrolmentQr()
    query = parse_qs(parts.query)
    try:
        [server], [code] = query["server"], query["code"]
    except (KeyError, ValueError):
        raise BadEnrolmentQr() from None
    return server, normalise_code(code)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class EnrolmentCreate(_In):
    name: str = NAME_FIELD
    role: Role = Role.KIOSK


class EnrolmentCreated(_Out):
    name: str
    role: Role
    code: str  # XXXX-XXXX-XXXX-XXXX, shown once
    expires_at: dt.datetime


class EnrolHello(_In):
    lookup: str = Field(pattern=r"^[0-9A-Z]{4}$")


class EnrolHelloAnswer(_Out):
    name: str
    role: Role
    ca_pem: str | None  # the office CA; None only for a plain-http development office
    proof: str  # see the module docstring


class EnrolRequest(_In):
    code: str = Field(min_length=16, max_length=40)
    # A kiosk's Ed25519 public key (PEM) that signs its printed data QR (paper import).
    signing_public_key_pem: str | None = Field(default=None, max_length=1000)


class EnrolmentGranted(_Out):
    name: str
    role: Role
    token: str  # the terminal's credential (mdt_…), shown this once
    office_key: OfficeKey
    ca_pem: str | None
