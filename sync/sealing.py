"""Sealing a confirmed application to the back office's public key (HPKE, RFC 9180).

The kiosk seals each application's personal parts (`SealedContent`: session record, PDF,
measurements) to the office's X25519 public key as soon as the resident confirms, so the
kiosk's disk only ever holds ciphertext it cannot read; only the back office, which holds
the private key, can open it.

Wire form (`IngestRecord.sealed`): standard base64 of

    version byte (0x01) || HPKE enc (32 bytes for X25519) || AEAD ciphertext

with the suite DHKEM(X25519, HKDF-SHA256) + HKDF-SHA256 + AES-128-GCM in base mode, and the
HPKE `info` bound to the version so a future format cannot be confused with this one.
The key files are `forms.payload.keys`' (`load_or_create_counter_key`, `load_counter_*`).
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from pydantic import ValidationError

from forms.errors import MadoguchiError
from sync.protocol import MAX_SEALED_BYTES, SealedContent

FORMAT_VERSION = 1
_INFO = b"madoguchi sealed application v1"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
_ENC_LENGTH = 32  # X25519 encapsulated key
_TAG_LENGTH = 16  # AES-GCM


class SealError(MadoguchiError):
    """A sealed blob that does not open: wrong key, tampered, truncated or not ours."""

    code = "seal_invalid"

    def __init__(self, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"封緘データを開けません（{reason_ja}）", f"sealed data does not open ({reason_en})"
        )


class SealWrongKey(SealError):
    """The AEAD tag does not check: sealed to another key, or tampered with."""

    def __init__(self) -> None:
        super().__init__("鍵が違うか改ざんされています", "wrong key or tampered")


def seal(content: SealedContent, public_key: X25519PublicKey) -> str:
    """Encrypt `content` to `public_key`; return the base64 wire form."""
    plaintext = content.model_dump_json().encode("utf-8")
    ciphertext = _SUITE.encrypt(plaintext, public_key, info=_INFO)
    return base64.b64encode(bytes([FORMAT_VERSION]) + ciphertext).decode("ascii")


def open_sealed(sealed: str, private_key: X25519PrivateKey) -> SealedContent:
    """Decrypt and parse a sealed blob; raise SealError on anything that does not open."""
    if len(sealed) > MAX_SEALED_BYTES * 4 // 3 + 4:
        raise SealError("大きすぎます", "too large")
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise SealError("base64 ではありません", "not base64") from None
    if not raw:
        raise SealError("空です", "empty")
    if raw[0] != FORMAT_VERSION:
        raise SealError("未知の形式版です", f"unknown format version {raw[0]}")
    if len(raw) < 1 + _ENC_LENGTH + _TAG_LENGTH:
        raise SealError("短すぎます", "truncated")
    try:
        plaintext = _SUITE.decrypt(raw[1:], private_key, info=_INFO)
    except (InvalidTag, ValueError):
        raise SealWrongKey() from None
    try:
        return SealedContent.model_validate_json(plaintext)
    except ValidationError:
        raise SealError("内容の形式が不正です", "malformed content") from None
