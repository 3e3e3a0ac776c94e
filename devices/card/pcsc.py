"""PC/SC through pcscd, with pyscard's low-level `scard` module.

The low-level API hands back PC/SC result codes rather than exceptions, so each failure is
mapped here to exactly one of our error types. A failed transmit is a removal unless the reader
itself is gone (real readers report removal as 0x80100069 or 0x8010000C, vpcd as 0x80100016).
Connections are made per read and disconnected with a reset, so no verified PIN state outlives
the read and no handle is ever kept across a removal.
"""

from __future__ import annotations

import logging

from smartcard import scard

from devices.card.errors import (
    CardIOError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    ReaderUnpluggedError,
)

log = logging.getLogger(__name__)

_SERVICE_GONE = {
    scard.SCARD_E_NO_SERVICE,
    scard.SCARD_E_SERVICE_STOPPED,
    scard.SCARD_E_INVALID_HANDLE,
    0x80100002,  # SCARD_E_INVALID_CONTEXT (not exported by pyscard)
}
_READER_GONE = {
    scard.SCARD_E_READER_UNAVAILABLE,
    scard.SCARD_E_UNKNOWN_READER,
    scard.SCARD_E_NO_READERS_AVAILABLE,
    *_SERVICE_GONE,
}
_NO_CARD = {
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_W_UNRESPONSIVE_CARD,
}


def _hex(code: int) -> str:
    return f"0x{code & 0xFFFFFFFF:08X}"


class PcscTransport:
    def __init__(self, backend: PcscBackend, reader: str, handle: int, protocol: int) -> None:
        self._backend = backend
        self._reader = reader
        self._handle: int | None = handle
        self._protocol = protocol

    def transmit(self, apdu: bytes) -> bytes:
        if self._handle is None:
            raise CardRemovedError()
        result, response = scard.SCardTransmit(self._handle, self._protocol, list(apdu))
        if result == scard.SCARD_S_SUCCESS and response:
            return bytes(response)
        # "Success" with no bytes at all (not even a status word) is a link that broke under
        # the reader: vpcd answers so when the card's connection closes while it waits.
        log.info("transmit failed on %s: %s", self._reader, _hex(result))
        self._drop()
        if result in _SERVICE_GONE or not self._backend.reader_listed(self._reader):
            raise ReaderUnpluggedError()
        raise CardRemovedError()

    def _drop(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            scard.SCardEndTransaction(handle, scard.SCARD_LEAVE_CARD)
            scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)


class PcscBackend:
    """The readers pcscd knows. Not thread-safe: use it from the card thread only."""

    def __init__(self) -> None:
        self._context: int | None = None

    def _ctx(self) -> int | None:
        if self._context is None:
            result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if result != scard.SCARD_S_SUCCESS:
                return None  # no pcscd: no readers
            self._context = context
        return self._context

    def _reset_context(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def readers(self) -> list[str]:
        for _ in range(2):  # a second time with a fresh context if pcscd restarted
            context = self._ctx()
            if context is None:
                return []
            result, readers = scard.SCardListReaders(context, [])
            if result == scard.SCARD_S_SUCCESS:
                return list(readers)
            if result == scard.SCARD_E_NO_READERS_AVAILABLE:
                return []
            self._reset_context()
        return []

    def reader_listed(self, reader: str) -> bool:
        return reader in self.readers()

    def card_present(self) -> dict[str, bool]:
        readers = self.readers()
        context = self._ctx()
        if not readers or context is None:
            return {}
        result, states = scard.SCardGetStatusChange(
            context, 0, [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
        )
        if result != scard.SCARD_S_SUCCESS:
            return dict.fromkeys(readers, False)
        return {
            name: bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_MUTE
            for name, state, _atr in states
        }

    def wait_for(self, reader: str, present: bool, timeout: float) -> bool:
        """Block (this thread) until `reader` has (or lacks) a card; False on timeout."""
        context = self._ctx()
        if context is None:
            return False
        state = scard.SCARD_STATE_UNAWARE
        remaining_ms = int(timeout * 1000)
        while remaining_ms > 0:
            step = min(remaining_ms, 250)
            result, states = scard.SCardGetStatusChange(context, step, [(reader, state)])
            remaining_ms -= step
            if result == scard.SCARD_S_SUCCESS:
                _, event, _ = states[0]
                now = bool(event & scard.SCARD_STATE_PRESENT) and not event & (
                    scard.SCARD_STATE_MUTE
                )
                if now == present:
                    return True
                state = event & ~scard.SCARD_STATE_CHANGED
            elif result != scard.SCARD_E_TIMEOUT:
                return False
        return False

    def connect(self, reader: str) -> PcscTransport:
        context = self._ctx()
        if context is None or reader not in self.readers():
            raise NoReaderError(reader)
        context = self._ctx()
        assert context is not None
        result, handle, protocol = scard.SCardConnect(
            context,
            reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if result in _NO_CARD:
            raise NoCardError()
        if result in _READER_GONE:
            raise ReaderUnpluggedError()
        if result != scard.SCARD_S_SUCCESS:
            raise CardIOError(f"connect {_hex(result)}")
        result = scard.SCardBeginTransaction(handle)
        if result != scard.SCARD_S_SUCCESS:
            scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
            if result in _NO_CARD:
                raise NoCardError()
            raise CardIOError(f"transaction {_hex(result)}")
        return PcscTransport(self, reader, handle, protocol)

    def close(self) -> None:
        self._reset_context()
