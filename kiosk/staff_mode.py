"""The staff PIN that unlocks staff-assisted mode, kept only as a slow, salted hash.

New hashes are argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane, as the back
office's passwords), of a PIN of 6 to 8 digits: a million PINs at ~0.1 s each is days of
work for a stolen hash, where 4 digits at scrypt N=2^14 were seconds. Hashes of the first
version (`scrypt$salt$hash`, 4 digits allowed) still verify, so no kiosk is locked out by an
update; `needs_rehash` tells them apart, and the kiosk says at start-up that its PIN should be
set again (`madoguchi kiosk staff-pin`, which asks for a new 6-digit PIN and writes the hash
0600). The PIN itself can only be re-hashed when it is typed: a legacy hash of a PIN that is
already 6 digits or more is replaced after its next successful unlock (`upgraded_hash`).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from forms.errors import MadoguchiError

MIN_DIGITS = 6
MAX_DIGITS = 8  # the unlock pad's length
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_LEGACY_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_WRONG_PINS = 5  # wrong staff PINs in a row before the unlock is locked…
LOCKOUT_S = 300.0  # …for this long (on the kiosk flow's clock)


class StaffPinFormatError(MadoguchiError):
    code = "staff_pin_format"

    def __init__(self) -> None:
        super().__init__(
            f"職員用暗証番号は数字{MIN_DIGITS}〜{MAX_DIGITS}桁です",
            f"the staff PIN is {MIN_DIGITS} to {MAX_DIGITS} digits",
        )


class StaffPinWrongError(MadoguchiError):
    code = "staff_pin_wrong"

    def __init__(self) -> None:
        super().__init__("職員用暗証番号が違います", "wrong staff PIN")


class StaffPinLockedError(MadoguchiError):
    """Too many wrong staff PINs: the unlock refuses every PIN until `retry_after_s` pass."""

    code = "staff_pin_locked"

    def __init__(self, retry_after_s: float) -> None:
        minutes = max(1, math.ceil(retry_after_s / 60))
        super().__init__(
            f"職員用暗証番号を{MAX_WRONG_PINS}回間違えたため、ロックしました。"
            f"{minutes}分後にもう一度お試しください",
            f"too many wrong staff PINs: locked, try again in {minutes} min",
        )
        self.retry_after_s = retry_after_s


class StaffPinHashError(MadoguchiError):
    code = "staff_pin_hash"

    def __init__(self) -> None:
        super().__init__(
            "職員用暗証番号の設定が不正です", "the configured staff PIN hash is malformed"
        )


def _check_shape(pin: str) -> None:
    if not re.fullmatch(rf"\d{{{MIN_DIGITS},{MAX_DIGITS}}}", pin):
        raise StaffPinFormatError()


def hash_staff_pin(pin: str) -> str:
    """`$argon2id$v=19$m=19456,t=2,p=1$…`: what the kiosk's configuration stores."""
    _check_shape(pin)
    return _HASHER.hash(pin)


def needs_rehash(stored: str) -> bool:
    """True for a first-version scrypt hash (or a cheaper argon2 one)."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def verify_staff_pin(pin: str, stored: str) -> None:
    """Raise StaffPinWrongError unless `pin` matches `stored` (StaffPinHashError if `stored`
    is no hash of either version)."""
    if stored.startswith("scrypt$"):
        _verify_legacy(pin, stored)
        return
    if not stored.startswith("$argon2id$"):
        raise StaffPinHashError()
    if not re.fullmatch(rf"\d{{4,{MAX_DIGITS}}}", pin):
        raise StaffPinWrongError()
    try:
        _HASHER.verify(stored, pin)
    except VerifyMismatchError:
        raise StaffPinWrongError() from None
    except (VerificationError, InvalidHashError):
        raise StaffPinHashError() from None


def upgraded_hash(pin: str, stored: str) -> str | None:
    """After a successful unlock: a new hash to store in place of a legacy one, when the PIN
    typed is long enough; None when nothing should change."""
    if not needs_rehash(stored) or not re.fullmatch(rf"\d{{{MIN_DIGITS},{MAX_DIGITS}}}", pin):
        return None
    return hash_staff_pin(pin)


def _verify_legacy(pin: str, stored: str) -> None:
    """The first version: `scrypt$<salt hex>$<hash hex>`, N=2^14, PINs of 4 to 8 digits."""
    parts = stored.split("$")
    if len(parts) != 3:
        raise StaffPinHashError()
    try:
        salt, expected = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        raise StaffPinHashError() from None
    if not re.fullmatch(r"\d{4,8}", pin):
        raise StaffPinWrongError()
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, **_LEGACY_SCRYPT)
    if not hmac.compare_digest(digest, expected):
        raise StaffPinWrongError()


# The demo kiosk's staff PIN (fictional, printed when the demo starts) and its hash, made
# once with hash_staff_pin(DEMO_STAFF_PIN): argon2id costs ~50 ms, which the demo's start-up
# need not pay (tests check that the two match).
DEMO_STAFF_PIN = "246813"
DEMO_STAFF_PIN_HASH = "$argon2id$v=19$m=19456,t=2,p=1$erqE8Bs0I2jC+yqRRgHd6A$gln408ACjUSss6hQme6iN0sLBxxEGWyv04XC5vjBIic"
