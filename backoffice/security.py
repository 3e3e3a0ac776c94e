"""Credentials: random bearer tokens stored as SHA-256, passwords as scrypt.

A token is 32 random bytes (urlsafe base64) with a prefix telling what it is for:
`mdt_` terminal credentials, `mds_` staff/admin login sessions. The server keeps only the
SHA-256 of a token: a 256-bit random secret needs no salt or slow hash, and lookup by hash
takes constant time in the secret. Passwords are low-entropy, so they get scrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TERMINAL_PREFIX = "mdt_"
SESSION_PREFIX = "mds_"
MIN_PASSWORD_LENGTH = 10

# scrypt parameters (RFC 7914's interactive-login figures): ~16 MiB, ~50 ms here.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SCRYPT_LEN = 32


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


def dummy_password_check(password: str) -> None:
    """Spend the time of one scrypt so an unknown user name answers as slowly as a known one."""
    _scrypt(password, b"\0" * 16, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_SCRYPT_LEN, maxmem=64 << 20
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
