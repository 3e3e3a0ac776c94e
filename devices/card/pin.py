"""The PIN discipline shared by both cards.

1. Ask the card for the tries left with an empty VERIFY (spends nothing) before every VERIFY.
2. Blocked: stop, no VERIFY. One try left: the caller's `confirm_last_try()` must say yes,
   or nothing is sent.
3. Ask for the PIN only then (the provider hears the tries left, for its prompt), check its
   shape (a 4-digit PIN mistyped as 3 digits must not spend a try), send it, and wipe the
   buffers. The PIN is never logged and no reference to it is kept; Python cannot promise the
   interpreter left no copy of a `str` behind, so providers should hand over a `bytearray`
   when they can.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.card import apdu
from devices.card.apdu import Channel
from devices.card.errors import (
    LastTryUnconfirmedError,
    LastTryUnconfirmedPin2Error,
    Pin2BlockedError,
    PinBlockedError,
    PinEntryCancelledError,
    PinFormatError,
    UnexpectedStatusError,
    WrongPin2Error,
    WrongPinError,
)

PinProvider = Callable[[int], "str | bytes | bytearray | None"]
"""Called on the card thread with the tries left, right before the VERIFY; None cancels."""

ConfirmLastTry = Callable[[], bool]
"""Called on the card thread when one try is left; True lets the VERIFY go."""


def _wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def _pin_bytes(pin: str | bytes | bytearray | None) -> bytearray:
    if pin is None:
        raise PinEntryCancelledError()
    raw = bytearray(pin.encode("ascii", "replace") if isinstance(pin, str) else pin)
    if len(raw) != 4 or not all(0x30 <= b <= 0x39 for b in raw):
        _wipe(raw)
        raise PinFormatError()
    return raw


_PIN2_REF = 0x82  # the driver's licence's PIN 2 (本籍): its errors say "PIN 2"


def _blocked(p2: int, *, just_now: bool = False) -> PinBlockedError:
    return (
        Pin2BlockedError(just_now=just_now)
        if p2 == _PIN2_REF
        else PinBlockedError(just_now=just_now)
    )


def tries_left(channel: Channel, p2: int) -> int:
    """Tries left on PIN reference `p2`, without spending one; PinBlockedError at 0."""
    response = channel.send(apdu.verify(p2), "pin tries")
    if response.sw in (apdu.SW_AUTH_BLOCKED, apdu.SW_REF_DATA_BLOCKED):
        raise _blocked(p2)
    if response.sw & 0xFFF0 == 0x63C0:
        left = response.sw & 0x0F
        if left == 0:
            raise _blocked(p2)
        return left
    raise UnexpectedStatusError("pin tries", response.sw)


def verify_pin(
    channel: Channel,
    p2: int,
    provider: PinProvider | None,
    confirm_last_try: ConfirmLastTry | None,
    *,
    fixed_pin: bytes | None = None,
) -> None:
    """Tries, confirm if one is left, VERIFY. `fixed_pin` skips the provider (licence PIN unset)."""
    left = tries_left(channel, p2)
    if left == 1 and not (confirm_last_try is not None and confirm_last_try()):
        raise LastTryUnconfirmedPin2Error() if p2 == _PIN2_REF else LastTryUnconfirmedError()
    if fixed_pin is not None:
        pin = bytearray(fixed_pin)
    elif provider is None:
        raise PinEntryCancelledError()
    else:
        pin = _pin_bytes(provider(left))
    command = apdu.verify(p2, pin)
    try:
        response = channel.send(command, "verify")
    finally:
        _wipe(pin)
        _wipe(command)
    if response.ok:
        return
    if response.sw in (apdu.SW_AUTH_BLOCKED, apdu.SW_REF_DATA_BLOCKED):
        raise _blocked(p2)
    if response.sw & 0xFFF0 == 0x63C0:
        remaining = response.sw & 0x0F
        if remaining == 0:
            raise _blocked(p2, just_now=True)
        raise WrongPin2Error(remaining) if p2 == _PIN2_REF else WrongPinError(remaining)
    raise UnexpectedStatusError("verify", response.sw)
