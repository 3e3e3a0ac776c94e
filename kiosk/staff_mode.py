"""The staff PIN that unlocks staff-assisted mode, kept only as a salted scrypt hash."""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re

from forms.errors import MadoguchiError

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_WRONG_PINS = 5  # wrong staff PINs in a row before the unlock is locked…
LOCKOUT_S = 300.0  # …for this long (on the kiosk flow's clock)


class StaffPinFormatError(MadoguchiError):
    code = "staff_pin_format"

    def __init__(self) -> None:
        super().__init__("職員用暗証番号は数字4〜8桁です", "the staff PIN is 4 to 8 digits")


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
    if not re.fullmatch(r"\d{4,8}", pin):
        raise StaffPinFormatError()


def hash_staff_pin(pin: str, *, salt: bytes | None = None) -> str:
    """`scrypt$<salt hex>$<hash hex>`: what the kiosk's configuration stores."""
    _check_shape(pin)
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_staff_pin(pin: str, stored: str) -> None:
    """Raise StaffPinWrongError unless `pin` matches `stored` (constant-time compare)."""
    parts = stored.split("$")
    if len(parts) != 3 or parts[0] != "scrypt":
        raise StaffPinHashError()
    try:
        salt, expected = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        raise StaffPinHashError() from None
    if not re.fullmatch(r"\d{4,8}", pin):
        raise StaffPinWrongError()
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, **_SCRYPT)
    if not hmac.compare_digest(digest, expected):
        raise StaffPinWrongError()


# The demo kiosk's staff PIN (fictional, printed when the demo starts) and its hash, made
# once with hash_staff_pin(DEMO_STAFF_PIN, salt=b"madoguchi-demo-1"): scrypt costs ~40 ms,
# which the demo's start-up need not pay.
DEMO_STAFF_PIN = "2468"
DEMO_STAFF_PIN_HASH = (
    "scrypt$6d61646f67756368692d64656d6f2d31$d0f75118ff3ca85e08b2537dd68b6e25cb5b44fce35084288"
    "613ca4436ac25d6b4adbc55cdc1d8d9417f0eb808e40127a6d072185775dca14f35529e776eaca6"
)
