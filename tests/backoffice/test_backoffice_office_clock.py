"""The back office dates everything on the office's clock (Asia/Tokyo), whatever the machine's
zone: receipt years turn at the office's New Year, call-board and queue days at its midnight.

Each test runs on SQLite and PostgreSQL and with the process's zone set to UTC and to
Asia/Tokyo (`machine_zone`), with an injected clock (`office_at`, `office_clock_source`).
"""

from __future__ import annotations

import datetime as dt

import pytest
from backoffice_factory import data_qr, sample_for, sealed_record, signing_pair

from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from forms.clock import OfficeClock, UnknownTimeZone

API = "/api/v1"
UTC = dt.UTC
LAST_SECOND_OF_2026 = dt.datetime(2026, 12, 31, 14, 59, 59, tzinfo=UTC)  # 23:59:59 in Tokyo
NEW_YEAR_2027 = dt.datetime(2026, 12, 31, 15, 0, 0, tzinfo=UTC)  # 00:00:00 on 1 Jan in Tokyo

pytestmark = pytest.mark.usefixtures("machine_zone")


def _ingest(office, reception_number: str = "A-001") -> str:  # type: ignore[no-untyped-def]
    record = sealed_record(office.public_key, reception_number=reception_number)
    result = office.ingest([record]).json()["results"][0]
    assert result["status"] == "accepted", result
    return result["receipt_number"]


def _board(office) -> dict:  # type: ignore[no-untyped-def]
    office.context.call_board._at = -1e9  # past the one-second cache
    return office.client.get(f"{API}/call-board").json()


def test_receipts_start_at_000001_on_the_offices_new_year(office_at, office_clock_source) -> None:
    office_clock_source.moment = LAST_SECOND_OF_2026
    assert [_ingest(office_at) for _ in range(2)] == ["2026-000001", "2026-000002"]
    office_clock_source.moment = NEW_YEAR_2027  # still 2026 in UTC: the office's year counts
    assert [_ingest(office_at) for _ in range(2)] == ["2027-000001", "2027-000002"]
    office_clock_source.moment = NEW_YEAR_2027 + dt.timedelta(hours=9)  # 2027 in UTC too
    assert _ingest(office_at) == "2027-000003"


def test_a_paper_import_takes_its_receipt_from_the_offices_year(
    office_at, office_clock_source
) -> None:
    private, pem = signing_pair()
    with office_at.context.sessions() as session, session.begin():
        accounts.set_signing_key(session, "kiosk-1", pem)
    record = sample_for("juminhyo", 1)
    office_clock_source.moment = NEW_YEAR_2027 + dt.timedelta(minutes=5)
    digits = data_qr(
        record, [("juminhyo", 1)], private, office_at.public_key, issued_at=NEW_YEAR_2027
    )
    answer = office_at.client.post(
        f"{API}/paper-imports", json={"digits": digits}, headers=office_at.auth("staff")
    )
    assert answer.status_code == 200, answer.text
    assert [i["receipt_number"] for i in answer.json()["items"]] == ["2027-000001"]


def test_the_call_board_day_turns_at_the_offices_midnight(office_at, office_clock_source) -> None:
    office_clock_source.moment = LAST_SECOND_OF_2026
    _ingest(office_at, "A-LAST")
    board = _board(office_at)
    assert board["day"] == "2026-12-31"
    assert [e["reception_number"] for e in board["entries"]] == ["A-LAST"]

    office_clock_source.moment = NEW_YEAR_2027
    assert _board(office_at) == {"day": "2027-01-01", "entries": []}  # a new day, empty
    _ingest(office_at, "B-FIRST")
    office_clock_source.moment = NEW_YEAR_2027 + dt.timedelta(hours=8, minutes=59)  # 23:59 UTC
    board = _board(office_at)
    assert board["day"] == "2027-01-01"
    assert [e["reception_number"] for e in board["entries"]] == ["B-FIRST"]


def test_the_queue_filters_by_the_offices_calendar_day(office_at, office_clock_source) -> None:
    office_clock_source.moment = LAST_SECOND_OF_2026
    last = _ingest(office_at)
    office_clock_source.moment = NEW_YEAR_2027
    first = _ingest(office_at)

    def day(date: str) -> list[str]:
        answer = office_at.client.get(
            f"{API}/applications",
            params={"date_from": date, "date_to": date},
            headers=office_at.auth("staff"),
        )
        assert answer.status_code == 200, answer.text
        return [i["receipt_number"] for i in answer.json()["items"]]

    assert day("2026-12-31") == [last]
    assert day("2027-01-01") == [first]


def test_measurements_are_totalled_per_office_day(office_at, office_clock_source) -> None:
    for moment in (LAST_SECOND_OF_2026, NEW_YEAR_2027):
        record = sealed_record(
            office_at.public_key, created_at=moment, measurement={"typed_chars": 1}
        )
        assert office_at.ingest([record]).json()["results"][0]["status"] == "accepted"
    answer = office_at.client.get(
        f"{API}/measurements",
        params={"date_from": "2026-12-31", "date_to": "2027-01-01"},
        headers=office_at.auth("staff"),
    )
    assert answer.status_code == 200, answer.text
    assert [(r["day"], r["applications"]) for r in answer.json()["rows"]] == [
        ("2026-12-31", 1),
        ("2027-01-01", 1),
    ]


def test_the_zone_is_one_setting(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("MADOGUCHI_OFFICE_TZ", raising=False)
    assert BackofficeSettings(data_dir=tmp_path).office_clock.zone.key == "Asia/Tokyo"
    monkeypatch.setenv("MADOGUCHI_OFFICE_TZ", "Pacific/Honolulu")  # as office_clock() reads it
    settings = BackofficeSettings(data_dir=tmp_path)
    assert settings.time_zone == "Pacific/Honolulu"
    assert settings.office_clock.zone.key == "Pacific/Honolulu"
    with pytest.raises(UnknownTimeZone):
        BackofficeSettings(data_dir=tmp_path, time_zone="Asia/Edo")
    with pytest.raises(ValueError, match="time_zone"):  # an injected clock keeps the zone
        BackofficeSettings(data_dir=tmp_path, time_zone="Asia/Tokyo", clock=OfficeClock.fixed(
            NEW_YEAR_2027, "UTC"))  # fmt: skip
