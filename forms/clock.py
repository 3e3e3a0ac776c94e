"""The office clock: "now" is aware UTC, "today" is the office's date in its time zone.

Everything stored is UTC; everything a person sees or a number depends on (era dates, receipt
years, call-number days, expiry, retention) is dated in the office's zone, whatever zone the
machine runs in. A back office on a cloud server in UTC still dates a 00:30 JST application on
the Japanese day.

Parts take an `OfficeClock` (injected, so tests can fix it) and fall back to `office_clock()`,
which reads the zone from `MADOGUCHI_OFFICE_TZ` (default Asia/Tokyo) and the time from the
system. `OfficeClock.fixed(...)` stops time for a test; `time-machine` also works, because the
system clock is read through `datetime.now(UTC)`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from forms.errors import MadoguchiError

DEFAULT_ZONE = "Asia/Tokyo"
ZONE_ENV = "MADOGUCHI_OFFICE_TZ"


class UnknownTimeZone(MadoguchiError):
    code = "unknown_time_zone"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"タイムゾーン {name!r} は不明です", f"unknown time zone {name!r} (an IANA name)"
        )


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`, or UnknownTimeZone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(name) from exc


def _system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC. A naive datetime is refused: it has no place on an office clock."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: the office clock needs an aware one")
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class OfficeClock:
    """One office's clock. `zone` dates things for people; `source` tells the time (UTC)."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))
    source: Callable[[], dt.datetime] = _system_now

    def now(self) -> dt.datetime:
        """Aware UTC."""
        return as_utc(self.source())

    def today(self) -> dt.date:
        """The office's date now."""
        return self.date_of(self.now())

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` (aware) on the office's wall clock."""
        return as_utc(moment).astimezone(self.zone)

    def date_of(self, moment: dt.datetime) -> dt.date:
        """The office's date at `moment` (aware)."""
        return self.local(moment).date()

    def start_of_day(self, day: dt.date) -> dt.datetime:
        """The UTC instant the office's `day` begins."""
        return dt.datetime.combine(day, dt.time(), tzinfo=self.zone).astimezone(dt.UTC)

    @classmethod
    def fixed(cls, moment: dt.datetime, zone: str = DEFAULT_ZONE) -> OfficeClock:
        """A clock stopped at `moment` (aware), for tests and scripted runs."""
        frozen = as_utc(moment)
        return cls(zone=zone_named(zone), source=lambda: frozen)

    @classmethod
    def in_zone(cls, zone: str) -> OfficeClock:
        """The system's time, dated in `zone`."""
        return cls(zone=zone_named(zone))


def office_clock() -> OfficeClock:
    """The process's clock: the system time, dated in `MADOGUCHI_OFFICE_TZ` (Asia/Tokyo)."""
    return OfficeClock.in_zone(os.environ.get(ZONE_ENV) or DEFAULT_ZONE)
