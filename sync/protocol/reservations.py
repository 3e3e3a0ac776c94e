"""引越しワンストップ reservations on the wire (docs/reservations.md).

An admin imports a file (POST /reservations/import); an enrolled kiosk asks, after the card
read, whether the resident has a reservation (POST /reservations/match). Only the kiosk's
answer carries personal data, and only to a kiosk's credential.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReservationImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["csv", "jsonl", "json"]
    content: str = Field(max_length=8_000_000)


class ReservationImportReport(BaseModel):
    """All or nothing: a refused file answers 422 `reservation_file_refused` instead."""

    model_config = ConfigDict(extra="forbid")

    imported: int
    unchanged: int  # the same reservation id with the same content: idempotent


class ReservationQuery(BaseModel):
    """What the kiosk read from the card."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")
    # not WireDate (1970 on): an 80-year-old's birth date must pass
    birth_date: dt.date = Field(ge=dt.date(1870, 1, 1), le=dt.date(2200, 12, 31))

    def __repr__(self) -> str:  # never personal data
        return "ReservationQuery(…)"


class HouseholdMember(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kana: str = ""
    birth_date: dt.date
    relation: str


class ReservationFound(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reservation_id: str
    household: list[HouseholdMember]
    old_address: str
    new_address: str
    move_date: dt.date

    def __repr__(self) -> str:  # never personal data
        return f"ReservationFound(id={self.reservation_id!r})"


class ReservationMatch(BaseModel):
    """`found` is None when nothing matches (or more than one would: staff decide)."""

    model_config = ConfigDict(extra="forbid")

    found: ReservationFound | None = None
