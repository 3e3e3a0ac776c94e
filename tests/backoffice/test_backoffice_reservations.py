"""引越しワンストップ reservations on each database: import (good, malformed, duplicates; API and
CLI), and the kiosk's match on the office's date across 15:00 UTC (midnight in Tokyo)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from backoffice_factory import PASSWORD

from sync.client import OfficeClient
from sync.errors import OfficeError
from sync.protocol.reservations import ReservationQuery

API = "/api/v1"
NAME = "見本 花子"


def reservation(
    rid: str, name: str = NAME, birth: str = "1990-04-01", start: str = "2027-01-01"
) -> dict:
    return {
        "reservation_id": rid,
        "window_start": start,
        "window_end": "2027-01-14",
        "move_date": "2026-12-28",
        "old_address": "東京都千代田区見本町1-2-3",
        "new_address": "神奈川県横浜市中区見本通4-5-6 見本マンション101",
        "household": [
            {"name": name, "kana": "ミホン ハナコ", "birth_date": birth, "relation": "本人"},
            {
                "name": "見本 太郎",
                "kana": "ミホン タロウ",
                "birth_date": "2020-05-05",
                "relation": "子",
            },
        ],
    }


def jsonl(*items: dict) -> str:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)


def import_file(office, content: str, fmt: str = "jsonl", who: str = "admin"):  # type: ignore[no-untyped-def]
    if who == "admin":  # log in again: tests move the office clock past a session's life
        login = {"username": "admin", "password": PASSWORD}
        office.tokens["admin"] = office.client.post(f"{API}/auth/login", json=login).json()["token"]
    return office.client.post(
        f"{API}/reservations/import",
        json={"format": fmt, "content": content},
        headers=office.auth(who),
    )


def match(office, name: str = NAME, birth: str = "1990-04-01"):  # type: ignore[no-untyped-def]
    answer = office.client.post(
        f"{API}/reservations/match",
        json={"name": name, "birth_date": birth},
        headers=office.auth("kiosk"),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["found"]


def test_import_then_match_across_the_office_midnight(
    office_at, office_clock_source, caplog
) -> None:
    """The clock starts at 2026-12-31T14:59:59Z: still 12-31 in Tokyo, before the window."""
    with caplog.at_level(logging.DEBUG):
        answer = import_file(office_at, jsonl(reservation("R-1"), reservation("R-2", "見本 次郎")))
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"imported": 2, "unchanged": 0}
        assert match(office_at) is None  # 2026-12-31 in the office: the window opens tomorrow
        office_clock_source.moment += dt.timedelta(seconds=1)  # 15:00 UTC = 2027-01-01 JST
        found = match(office_at)
    assert found["reservation_id"] == "R-1"
    assert found["move_date"] == "2026-12-28"
    assert found["old_address"].startswith("東京都") and found["new_address"].startswith("神奈川県")
    assert [m["relation"] for m in found["household"]] == ["本人", "子"]
    assert match(office_at, name="見本　花子") is not None  # full-width space
    assert match(office_at, birth="1990-04-02") is None  # the name alone never matches
    assert match(office_at, name="見本 華子") is None
    office_clock_source.moment = dt.datetime(2027, 1, 14, 14, 59, 59, tzinfo=dt.UTC)
    assert match(office_at) is not None  # the window's last office day
    office_clock_source.moment += dt.timedelta(seconds=1)
    assert match(office_at) is None  # 2027-01-15 in Tokyo
    for secret in (NAME, "見本", "1990-04-01", "千代田区", "横浜市"):
        assert secret not in caplog.text


def test_two_residents_with_the_same_name(office_at, office_clock_source) -> None:
    office_clock_source.moment = dt.datetime(2027, 1, 5, 1, 0, tzinfo=dt.UTC)
    elder = reservation("R-E", birth="1950-01-01")
    elder["new_address"] = "神奈川県横浜市西区別町9-9"
    answer = import_file(office_at, jsonl(elder, reservation("R-Y", birth="1990-04-01")))
    assert answer.status_code == 200, answer.text
    assert match(office_at, birth="1950-01-01")["reservation_id"] == "R-E"
    assert match(office_at, birth="1990-04-01")["reservation_id"] == "R-Y"
    assert match(office_at, birth="1970-07-07") is None
    # the same name AND birth date in two live reservations: ambiguous, staff decide
    twin = reservation("R-T", birth="1990-04-01", start="2027-01-03")
    assert import_file(office_at, jsonl(twin)).status_code == 200
    assert match(office_at, birth="1990-04-01") is None


def test_malformed_rows_are_refused_with_line_numbers_and_nothing_is_imported(office) -> None:
    bad = reservation("R-2")
    bad["window_end"] = "2027-02-30"
    content = jsonl(reservation("R-1"), bad) + "[1]\n"
    answer = import_file(office, content)
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "reservation_file_refused"
    assert body["problems"] == [
        "line 2: window_end: not a date (YYYY-MM-DD)",
        "line 3: -: not an object",
    ]
    assert NAME not in answer.text and "見本" not in answer.text
    assert import_file(office, jsonl(reservation("R-1"))).json() == {"imported": 1, "unchanged": 0}


def test_csv_and_duplicates(office) -> None:
    header = (
        "reservation_id,name,kana,birth_date,relation,window_start,window_end,move_date,"
        "old_address,new_address\n"
    )
    row = "R-C,見本 花子,,1990-04-01,本人,2027-01-01,2027-01-14,2026-12-28,旧住所,新住所\n"
    child = "R-C,見本 太郎,,2020-05-05,子,,,,,\n"
    first = import_file(office, header + row + child, "csv")
    assert first.json() == {"imported": 1, "unchanged": 0}, first.text
    again = import_file(office, header + row + child, "csv")
    assert again.json() == {"imported": 0, "unchanged": 1}  # the same file twice: idempotent
    changed = import_file(office, header + row.replace("新住所", "別の住所"), "csv")
    assert changed.status_code == 422
    assert changed.json()["problems"] == [
        "line 2: reservation_id: already imported with other content"
    ]
    repeated = import_file(office, header + row.replace("R-C", "R-D") * 2, "csv")
    assert repeated.status_code == 422
    assert repeated.json()["problems"] == ["line 3: reservation_id: repeated (first on line 2)"]


def test_the_kiosk_client_and_the_cli(
    office_at, office_clock_source, tmp_path: Path, capsys
) -> None:
    from madoguchi.cli import main

    office_clock_source.moment = dt.datetime(2027, 1, 5, 1, 0, tzinfo=dt.UTC)
    good = tmp_path / "reservations.jsonl"
    good.write_text(jsonl(reservation("R-1")), encoding="utf-8")
    db = str(office_at.context.settings.database_url)
    data_dir = str(office_at.context.settings.data_dir)
    assert (
        main(
            [
                "backoffice",
                "reservations",
                "import",
                str(good),
                "--db",
                db,
                "--data-dir",
                data_dir,
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == {"imported": 1, "unchanged": 0}
    bad = tmp_path / "bad.csv"
    bad.write_text("reservation_id,name\nR-9,x\n", encoding="utf-8")
    assert (
        main(["backoffice", "reservations", "import", str(bad), "--db", db, "--data-dir", data_dir])
        != 0
    )
    err = capsys.readouterr().err
    assert "line 1: birth_date: column missing" in err

    transport = office_at.client._transport
    kiosk = OfficeClient("http://127.0.0.1", office_at.tokens["kiosk"], transport=transport)
    found = kiosk.match_reservation(ReservationQuery(name=NAME, birth_date=dt.date(1990, 4, 1)))
    assert found.found is not None and found.found.reservation_id == "R-1"
    assert "見本" not in repr(found.found)
    none = kiosk.match_reservation(ReservationQuery(name=NAME, birth_date=dt.date(1990, 4, 2)))
    assert none.found is None
    with pytest.raises(OfficeError):  # a kiosk cannot import
        kiosk.import_reservations("jsonl", jsonl(reservation("R-2")))
    staff = OfficeClient("http://127.0.0.1", office_at.tokens["staff"], transport=transport)
    with pytest.raises(OfficeError):  # only an enrolled kiosk's credential gets a match
        staff.match_reservation(ReservationQuery(name=NAME, birth_date=dt.date(1990, 4, 1)))
