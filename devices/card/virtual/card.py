"""The ISO 7816-4 skeleton both virtual cards share: APDU parsing, counting, fault switches.

`history` keeps each command's header and whether it carried data, never the data itself:
tests use it to prove, for instance, that no VERIFY with a PIN was sent to a blocked card.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from devices.card.virtual.faults import Faults

log = logging.getLogger(__name__)

MY_NUMBER_ATR = bytes.fromhex("3BE000FF8131FE4514")


class CardGoneError(Exception):
    """The virtual card left the field (its `remove_after` fault fired)."""


@dataclass(frozen=True)
class Command:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None

    def __repr__(self) -> str:
        return f"Command({self.ins:02X} {self.p1:02X} {self.p2:02X}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class Sent:
    """What `history` records of one command: its header, and whether data came with it."""

    ins: int
    p1: int
    p2: int
    has_data: bool


def sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


def parse_command(raw: bytes) -> Command | None:
    """ISO 7816-4 short APDU cases 1 to 4; None when the bytes are none of them."""
    if len(raw) < 4:
        return None
    cla, ins, p1, p2 = raw[:4]
    body = raw[4:]
    if not body:
        return Command(cla, ins, p1, p2, b"", None)
    if len(body) == 1:
        return Command(cla, ins, p1, p2, b"", body[0] or 256)
    lc = body[0]
    if lc == 0 or len(body) not in (1 + lc, 2 + lc):
        return None
    le = (body[-1] or 256) if len(body) == 2 + lc else None
    return Command(cla, ins, p1, p2, bytes(body[1 : 1 + lc]), le)


class VirtualCard:
    """Base: subclasses implement `reset_volatile` (which sets `verified` among the rest) and
    the handlers of the three instructions the readers send: `_select`, `_verify`, `_read`."""

    atr = MY_NUMBER_ATR
    label = "virtual card"
    verified: bool  # set by `reset_volatile`

    def __init__(self, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self.apdu_count = 0
        self.history: list[Sent] = []
        self.gone = False
        self._lock = threading.Lock()

    # Power: the retry counters live on; what was selected or verified does not.
    def power_on(self) -> None:
        with self._lock:
            self.reset_volatile()

    def power_off(self) -> None:
        with self._lock:
            self.reset_volatile()

    def reset(self) -> None:
        with self._lock:
            self.reset_volatile()

    def reset_volatile(self) -> None:
        raise NotImplementedError

    def dispatch(self, command: Command) -> bytes:
        handler = {0xA4: self._select, 0x20: self._verify, 0xB0: self._read}.get(command.ins)
        return handler(command) if handler else sw(0x6D00)

    def _select(self, command: Command) -> bytes:
        raise NotImplementedError

    def _verify(self, command: Command) -> bytes:
        raise NotImplementedError

    def _read(self, command: Command) -> bytes:
        raise NotImplementedError

    def process(self, raw: bytes) -> bytes:
        """One command APDU in, response data + SW out; CardGoneError when it left the field."""
        with self._lock:
            if self.gone:
                raise CardGoneError()
            self.apdu_count += 1
            count = self.apdu_count
            remove_after = self.faults.remove_after
            if remove_after is not None and count > remove_after:
                self.gone = True
                log.debug("%s: left the field at APDU %d", self.label, count)
                raise CardGoneError()
            command = parse_command(raw)
            if command is None:
                response = sw(0x6700)
            else:
                self.history.append(Sent(command.ins, command.p1, command.p2, bool(command.data)))
                response = sw(28160) if command.cla != 0 else self.dispatch(command)
            if self.faults.garbage_sw_at == count:
                response = response[:-2] + b"\x12\x34"
            if self.faults.short_response_at == count:
                response = response[-1:]
            return response

    def read_binary(self, content: bytes, command: Command) -> bytes:
        """READ BINARY over `content`: Le=00 gives what is left (up to 256) with 90 00."""
        offset = (command.p1 << 8) | command.p2
        if command.p1 & 0x80:
            return sw(0x6A81)  # short-EF addressing: not offered
        if offset >= len(content) and content:
            return sw(0x6B00)
        wanted = command.le or 256
        chunk = content[offset : offset + wanted]
        if len(chunk) < wanted and wanted != 256:
            return chunk + sw(0x6282)
        return chunk + sw(0x9000)

    def verify_pin(self, pin: PinCounter, command: Command) -> bytes:
        """VERIFY against `pin`: without data it asks the status, with data it sets `verified`."""
        if not command.data:
            return pin.status(self.verified)
        self.verified, answer = pin.verify(command.data)
        return answer


class PinCounter:
    """A PIN with a retry counter that blocks at 0 (non-volatile, like the card's EEPROM)."""

    def __init__(self, pin: bytes, tries: int = 3, maximum: int = 3) -> None:
        self._pin = pin
        self.maximum = maximum
        self.tries = tries

    def __repr__(self) -> str:
        return f"PinCounter(tries={self.tries})"

    def status(self, verified: bool) -> bytes:
        if self.tries == 0:
            return sw(0x6984)
        return sw(0x9000) if verified else sw(0x63C0 | self.tries)

    def verify(self, candidate: bytes) -> tuple[bool, bytes]:
        if self.tries == 0:
            return False, sw(0x6984)
        if candidate == self._pin:
            self.tries = self.maximum
            return True, sw(0x9000)
        self.tries -= 1
        return False, sw(0x63C0 | self.tries)
