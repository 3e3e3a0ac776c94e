"""Card tests: a pcscd of our own (or a running one, left alone) and a virtual card on vpcd.

The session fixture starts `pcscd --foreground` (never `-a`: APDU logs would hold PINs), waits
until vpcd's first reader is listed, and stops it by PID at the end; a pcscd that was already
running is used and left running. The virtual card is served on port 35963, which pcscd shows
as "Virtual PCD 00 00". Swapping cards waits for pcscd to see the removal and then the
insertion (vpcd polls about every 0.4 s), so each test starts from a known reader state.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.card.pcsc import PcscBackend
from devices.card.pcscd import Pcscd
from devices.card.virtual import VirtualCard, VpcdCard
from devices.card.virtual.vpcd import DEFAULT_PORT, reader_name_for_port

READER = reader_name_for_port(DEFAULT_PORT)
SWAP_TIMEOUT = 5.0


class Slot:
    """The vpcd reader and what sits on it."""

    def __init__(self, server: VpcdCard, backend: PcscBackend) -> None:
        self.server = server
        self.backend = backend
        self.reader = READER

    def insert(self, card: VirtualCard) -> VirtualCard:
        self.remove()
        self.server.insert(card)
        assert self.backend.wait_for(self.reader, True, SWAP_TIMEOUT), "card not seen by pcscd"
        return card

    def remove(self) -> None:
        self.server.remove()
        assert self.backend.wait_for(self.reader, False, SWAP_TIMEOUT), "removal not seen"

    def wait_gone(self) -> None:
        """After a card left by itself (a removal fault): wait until pcscd agrees."""
        assert self.backend.wait_for(self.reader, False, SWAP_TIMEOUT), "removal not seen"


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    daemon = Pcscd.ensure(reader=READER, timeout=15.0)
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="session")
def vpcd_server(pcscd: Pcscd) -> Iterator[VpcdCard]:
    server = VpcdCard(None, port=DEFAULT_PORT).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def slot(vpcd_server: VpcdCard) -> Iterator[Slot]:
    backend = PcscBackend()
    state = Slot(vpcd_server, backend)
    try:
        yield state
    finally:
        vpcd_server.remove()
        backend.wait_for(READER, False, SWAP_TIMEOUT)
        backend.close()


@pytest.fixture()
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
