"""The office clock dates things in the office's zone, whatever zone the machine runs in."""

import datetime as dt
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from forms.clock import OfficeClock, UnknownTimeZone, as_utc, office_clock

UTC = dt.UTC


@pytest.mark.parametrize(
    ("utc", "office_day"),
    [
        # 15:00 UTC is midnight in Tokyo: the day turns there, not at UTC midnight.
        (dt.datetime(2026, 12, 2, 14, 59, 59, tzinfo=UTC), dt.date(2026, 12, 2)),
        (dt.datetime(2026, 12, 2, 15, 0, 0, tzinfo=UTC), dt.date(2026, 12, 3)),
        # The office's New Year comes nine hours before the UTC one.
        (dt.datetime(2026, 12, 31, 14, 59, 59, tzinfo=UTC), dt.date(2026, 12, 31)),
        (dt.datetime(2026, 12, 31, 15, 0, 0, tzinfo=UTC), dt.date(2027, 1, 1)),
    ],
)
def test_today_turns_at_the_office_midnight(utc: dt.datetime, office_day: dt.date) -> None:
    clock = OfficeClock.fixed(utc)
    assert clock.today() == office_day
    assert clock.now() == utc
    assert clock.now().tzinfo is UTC


def test_another_zone_is_a_setting() -> None:
    moment = dt.datetime(2026, 12, 31, 15, 30, tzinfo=UTC)
    assert OfficeClock.fixed(moment, "Asia/Tokyo").today() == dt.date(2027, 1, 1)
    assert OfficeClock.fixed(moment, "UTC").today() == dt.date(2026, 12, 31)
    assert OfficeClock.fixed(moment, "Pacific/Honolulu").today() == dt.date(2026, 12, 31)


def test_start_of_day_is_the_utc_instant_of_office_midnight() -> None:
    clock = OfficeClock.fixed(dt.datetime(2027, 1, 1, 3, 0, tzinfo=UTC))
    assert clock.start_of_day(dt.date(2027, 1, 1)) == dt.datetime(2026, 12, 31, 15, tzinfo=UTC)
    assert clock.local(clock.now()).hour == 12


def test_naive_datetimes_are_refused() -> None:
    naive = dt.datetime(2026, 12, 2, 12, 0)  # noqa: DTZ001 (naive on purpose: it is refused)
    with pytest.raises(ValueError, match="naive"):
        as_utc(naive)
    with pytest.raises(ValueError, match="naive"):
        OfficeClock.fixed(naive)


def test_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(UnknownTimeZone) as caught:
        OfficeClock.in_zone("Mars/Olympus_Mons")
    assert "Mars/Olympus_Mons" in caught.value.en


@pytest.mark.parametrize("machine_zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def test_the_machine_zone_does_not_matter(machine_zone: str) -> None:
    """Same instant, three machine zones: the office date is the same."""
    code = (
        "import datetime as dt, time; time.tzset();"
        "from forms.clock import OfficeClock;"
        "c = OfficeClock.fixed(dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC));"
        "print(c.today().isoformat())"
    )
    env = {**os.environ, "TZ": machine_zone}
    env.pop("MADOGUCHI_OFFICE_TZ", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2027-01-01"


def test_the_process_clock_reads_its_zone_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MADOGUCHI_OFFICE_TZ", "Europe/Lisbon")
    assert office_clock().zone.key == "Europe/Lisbon"
    monkeypatch.delenv("MADOGUCHI_OFFICE_TZ")
    assert office_clock().zone.key == "Asia/Tokyo"


@pytest.mark.parametrize("machine_zone", ["UTC", "Asia/Tokyo"])
def test_the_system_clock_at_the_offices_new_year_under_libfaketime(machine_zone: str) -> None:
    """A real process whose system clock says 2026-12-31T15:30Z (libfaketime, installed by
    scripts/setup.sh): the office's date is already 2027-01-01, and a new session has it."""
    moment = dt.datetime(2026, 12, 31, 15, 30, tzinfo=UTC)
    # libfaketime reads its start time in the process's own zone: give it that wall time
    start = moment.astimezone(ZoneInfo(machine_zone)).strftime("@%Y-%m-%d %H:%M:%S")
    code = (
        "from forms.clock import office_clock; from forms.record import SessionRecord;"
        "c = office_clock(); print(c.now().isoformat()[:16], c.today(), SessionRecord().today)"
    )
    env = {**os.environ, "TZ": machine_zone}
    env.pop("MADOGUCHI_OFFICE_TZ", None)
    out = subprocess.run(
        ["faketime", "-f", start, sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2026-12-31T15:30", "2027-01-01", "2027-01-01"]
