"""The guided pages' state, sealed into a hidden field: nothing is stored on the server.

The answers given so far and the resident's place (`forms.guide_walk.GuideWalk`) travel from page
to page in one hidden field, `_state`, encrypted and authenticated to the site's own key:

    v1.<base64url( nonce(12) ‖ AES-256-GCM( zlib( JSON ) ) )>

The key is derived with HKDF-SHA256 from the site's Ed25519 signing key (its private bytes;
info `madoguchi preentry state v1`): only this site can open what it sealed, and a new key
makes every sealed state unreadable. The additional data binds a state to its procedure, so
one procedure's state is refused by another's page. Inside, `iat` and `exp` (seconds on the
office clock) bound its life: a state is refused when it expired or claims a future
issue time. The sealed field is bounded (`MAX_SEALED_CHARS`) before anything is decoded,
and the decompressed JSON too (`MAX_PLAIN_BYTES`), so the site's size bounds still hold.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from forms.errors import MadoguchiError

FIELD_NAME = "_state"
PREFIX = "v1."
MAX_SEALED_CHARS = 48_000  # well above a 10-person bundle's answers, below the body limit
MAX_PLAIN_BYTES = 256 * 1024
CLOCK_SKEW = 60  # seconds a state may seem issued in the future (replicas' clocks)


class StateRefused(MadoguchiError):
    """The hidden state was changed, made by another key or for another procedure."""

    code = "state_refused"
    message_key = "state.refused"

    def __init__(self) -> None:
        super().__init__(
            "入力の途中の内容を読み取れませんでした。最初から入力してください",
            "what you entered so far could not be read; please start again",
        )


class StateExpired(MadoguchiError):
    code = "state_expired"
    message_key = "state.expired"

    def __init__(self) -> None:
        super().__init__(
            "時間がたったため、入力の途中の内容は使えなくなりました。最初から入力してください",
            "too much time has passed; what you entered was not kept. Please start again",
        )


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def derive_key(signing_key: Any) -> bytes:
    """A 256-bit AES key from the site's Ed25519 private key (never the key itself)."""
    material = signing_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"madoguchi preentry state v1"
    ).derive(material)


class Sealer:
    """Seals and opens the guided pages' state (see the module docstring)."""

    def __init__(self, key: bytes, ttl_seconds: float) -> None:
        if len(key) != 32:
            raise ValueError("the state key must be 32 bytes")
        self._aead = AESGCM(key)
        self.ttl = ttl_seconds

    def __repr__(self) -> str:
        return "Sealer(…)"

    @staticmethod
    def _aad(binding: str) -> bytes:
        return b"madoguchi-preentry-state:1|" + binding.encode("utf-8")

    def seal(self, data: dict[str, Any], *, binding: str, now: float) -> str:
        body = dict(data, iat=int(now), exp=int(now + self.ttl))
        plain = zlib.compress(
            json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9
        )
        nonce = os.urandom(12)
        sealed = PREFIX + _b64encode(nonce + self._aead.encrypt(nonce, plain, self._aad(binding)))
        if len(sealed) > MAX_SEALED_CHARS:
            raise ValueError("the state is too large to seal")
        return sealed

    def open(self, token: str | None, *, binding: str, now: float) -> dict[str, Any]:
        """The data sealed for `binding`; StateRefused or StateExpired otherwise."""
        if not token or len(token) > MAX_SEALED_CHARS or not token.startswith(PREFIX):
            raise StateRefused()
        try:
            blob = _b64decode(token[len(PREFIX) :])
        except (binascii.Error, ValueError):
            raise StateRefused() from None
        if len(blob) < 12 + 16:
            raise StateRefused()
        try:
            packed = self._aead.decrypt(blob[:12], blob[12:], self._aad(binding))
        except InvalidTag:
            raise StateRefused() from None
        try:
            unpacker = zlib.decompressobj()
            plain = unpacker.decompress(packed, MAX_PLAIN_BYTES)
            if unpacker.unconsumed_tail:
                raise StateRefused()
            data = json.loads(plain.decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, json.JSONDecodeError):
            raise StateRefused() from None
        if not isinstance(data, dict):
            raise StateRefused()
        issued, expires = data.get("iat"), data.get("exp")
        if not isinstance(issued, int) or not isinstance(expires, int):
            raise StateRefused()
        if issued > now + CLOCK_SKEW:
            raise StateRefused()
        if now > expires:
            raise StateExpired()
        return data
