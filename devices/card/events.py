"""What the card thread tells its subscribers. Reader names only: never card contents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderAttached:
    reader: str


@dataclass(frozen=True)
class ReaderDetached:
    reader: str


@dataclass(frozen=True)
class CardInserted:
    reader: str


@dataclass(frozen=True)
class CardRemoved:
    """The kiosk wipes a session when the card it was read from goes (DESIGN.md)."""

    reader: str


CardEvent = ReaderAttached | ReaderDetached | CardInserted | CardRemoved
