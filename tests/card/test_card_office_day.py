"""A card's birth date may be the office's today, never later: "today" is the office's date
(Asia/Tokyo), whatever the machine's zone, on both sides of its midnight."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from devices.card.errors import ImpossibleDateError
from devices.card.licence import parse_era_date
from devices.card.mynumber import parse_birth_date
from forms.clock import OfficeClock

BEFORE = dt.datetime(2026, 12, 31, 14, 59, 59, tzinfo=dt.UTC)  # 23:59:59 on 31 Dec in Tokyo
AT = dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC)  # 00:00 on 1 Jan 2027 in Tokyo
NEW_YEARS_DAY = (b"20270101", b"5090101")  # YYYYMMDD (My Number Card), era R09 (licence)

pytestmark = pytest.mark.usefixtures("machine_zone")


def test_born_on_the_offices_new_years_day_reads_once_it_has_begun() -> None:
    western, era = NEW_YEARS_DAY
    clock = OfficeClock.fixed(AT)
    assert parse_birth_date(western, clock=clock) == dt.date(2027, 1, 1)
    assert parse_era_date(era, "birth date", clock=clock) == dt.date(2027, 1, 1)


def test_a_second_earlier_the_same_date_is_in_the_future() -> None:
    western, era = NEW_YEARS_DAY
    clock = OfficeClock.fixed(BEFORE)
    with pytest.raises(ImpossibleDateError):
        parse_birth_date(western, clock=clock)
    with pytest.raises(ImpossibleDateError):
        parse_era_date(era, "birth date", clock=clock)


@pytest.mark.parametrize(("moment", "readable"), [(BEFORE, False), (AT, True)])
def test_without_a_clock_the_office_clock_is_used(moment: dt.datetime, readable: bool) -> None:
    """No clock handed in: `office_clock()`, with the system time frozen by time-machine."""
    western, era = NEW_YEARS_DAY
    with time_machine.travel(moment, tick=False):
        for read in (lambda: parse_birth_date(western), lambda: parse_era_date(era, "birth")):
            if readable:
                assert read() == dt.date(2027, 1, 1)
            else:
                with pytest.raises(ImpossibleDateError):
                    read()
