"""Command APDUs and a channel that sends them with the ISO 7816-4 chores done once.

The channel counts APDUs (the benchmark reports them), follows `61 xx` (GET RESPONSE) and
`6C xx` (wrong Le), and refuses status words outside ISO 7816-4's ranges. It logs only the
instruction byte and the status word: command data (a PIN) and response data (a name) never
reach a log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from devices.card.errors import BadLengthError, UnexpectedStatusError
from devices.card.transport import Transport

log = logging.getLogger(__name__)

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than asked: end of file reached
SW_SECURITY = 0x6982
SW_AUTH_BLOCKED = 0x6983
SW_REF_DATA_BLOCKED = 0x6984
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_OFFSET = 0x6B00

INS_SELECT = 0xA4
INS_VERIFY = 0x20
INS_READ_BINARY = 0xB0
INS_GET_RESPONSE = 0xC0


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def __repr__(self) -> str:  # response data may be personal: never in a repr
        return f"Response(len={len(self.data)}, sw={self.sw:04X})"


def _lc(data: bytes) -> bytes:
    if not 0 < len(data) <= 255:
        raise ValueError("short APDUs carry 1..255 data bytes")
    return bytes([len(data)]) + data


def select_aid(aid: bytes) -> bytes:
    """SELECT by DF name with P2=0C: no FCI back."""
    return bytes([0x00, INS_SELECT, 0x04, 0x0C]) + _lc(aid)


def select_ef(fid: int) -> bytes:
    return bytes([0x00, INS_SELECT, 0x02, 0x0C]) + _lc(fid.to_bytes(2, "big"))


def select_mf() -> bytes:
    return bytes([0x00, INS_SELECT, 0x00, 0x00])


def verify(p2: int, pin: bytes | bytearray | None = None) -> bytearray:
    """VERIFY; without `pin` it only asks for the tries left (spends nothing).

    Returned as a bytearray so the caller can wipe the PIN out of it after sending.
    """
    header = bytearray([0x00, INS_VERIFY, 0x00, p2])
    if pin is None:
        return header
    header.append(len(pin))
    header.extend(pin)
    return header


def read_binary(offset: int, le: int = 0) -> bytes:
    """READ BINARY from `offset` (15 bits); `le=0` asks for up to 256 bytes."""
    if not 0 <= offset <= 0x7FFF:
        raise ValueError("READ BINARY offset out of range")
    return bytes([0x00, INS_READ_BINARY, offset >> 8, offset & 0xFF, le & 0xFF])


def _plausible(sw: int) -> bool:
    sw1 = sw >> 8
    return 0x61 <= sw1 <= 0x6F or 0x90 <= sw1 <= 0x9F


class Channel:
    """One card session over a `Transport`, counting the APDUs it sends."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self.count = 0

    def _raw(self, apdu: bytes | bytearray, step: str) -> Response:
        self.count += 1
        raw = self._transport.transmit(bytes(apdu))
        if len(raw) < 2:
            raise BadLengthError(f"{step}: response shorter than a status word")
        sw = int.from_bytes(raw[-2:], "big")
        log.debug("APDU %s INS=%02X → SW=%04X (%d data bytes)", step, apdu[1], sw, len(raw) - 2)
        if not _plausible(sw):
            raise UnexpectedStatusError(step, sw)
        return Response(bytes(raw[:-2]), sw)

    def send(self, apdu: bytes | bytearray, step: str) -> Response:
        response = self._raw(apdu, step)
        data = bytearray(response.data)
        # 61 xx: more data waits behind GET RESPONSE (T=0 readers).
        while response.sw >> 8 == 0x61:
            response = self._raw(
                bytes([0x00, INS_GET_RESPONSE, 0x00, 0x00, response.sw & 0xFF]), step
            )
            data.extend(response.data)
        # 6C xx: wrong Le; the card names the right one. Resend once.
        if response.sw >> 8 == 0x6C and len(apdu) == 5:
            response = self._raw(bytes(apdu[:4]) + bytes([response.sw & 0xFF]), step)
            data = bytearray(response.data)
        return Response(bytes(data), response.sw)
