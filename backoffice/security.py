"""Credentials: random bearer tokens stored as SHA-256, passwords as argon2id.

A token is 32 random bytes (urlsafe base64) with a prefix telling what it is for:
`mdt_` terminal credentials, `mds_` staff/admin login sessions. The server keeps only the
SHA-256 of a token: a 256-bit random secret needs no salt or slow hash, and lookup by hash
takes constant time in the secret. Passwords are low-entropy, so they get a slow, memory-hard
hash: argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane; the Password Storage
Cheat Sheet), through argon2-cffi.

Migration: hashes made before (`scrypt$16384$8$1$…`, scrypt N=2^14) still verify, and
`needs_rehash` says so; `services.accounts.login` then stores a fresh argon2id hash of the
password it just checked, so every account moves on at its next successful login. So does an
argon2id hash whose cost is below today's parameters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TERMINAL_PREFIX = "mdt_"
SESSION_PREFIX = "mds_"
MIN_PASSWORD_LENGTH = 10

# OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1 (~0.1 s here).
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1
_HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM
)
_DUMMY_HASH = _HASHER.hash("madoguchi: no such account")


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """`$argon2id$v=19$m=…,t=…,p=…$salt$hash` (PHC string format)."""
    return _HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    if stored.startswith("scrypt$"):
        return _verify_legacy_scrypt(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for a legacy scrypt hash or an argon2 hash weaker than today's parameters."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def dummy_password_check(password: str) -> None:
    """Spend the time of one check so an unknown user name answers as slowly as a known one."""
    verify_password(password, _DUMMY_HASH)


def _verify_legacy_scrypt(password: str, stored: str) -> bool:
    """Hashes of the first version: `scrypt$N$r$p$salt$digest` (base64)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
            maxmem=64 << 20,
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


def pseudonym(key: bytes, name: str) -> str:
    """A keyed hash of a name that is not an account (a mistyped user name, perhaps a password
    typed into the wrong box): the same input gives the same 12 hex digits, so repeated tries
    can be told apart in the audit log without keeping what was typed."""
    return hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
