"""The 転入予約 file formats and the match rule (forms.reservation), without a database."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from forms.reservation import (
    Member,
    Reservation,
    ReservationFileRefused,
    choose,
    fold_name,
    matches,
    parse_csv,
    parse_jsonl,
)

D = dt.date
HEADER = "reservation_id,name,kana,birth_date,relation,window_start,window_end,move_date,old_address,new_address"


def line(rid: str = "R-1", name: str = "見本 花子", birth: str = "1990-04-01") -> str:
    return json.dumps(
        {
            "reservation_id": rid,
            "window_start": "2026-12-01",
            "window_end": "2026-12-14",
            "move_date": "2026-11-28",
            "old_address": "東京都千代田区見本町1-2-3",
            "new_address": "神奈川県横浜市中区見本通4-5-6",
            "household": [
                {"name": name, "kana": "ミホン ハナコ", "birth_date": birth, "relation": "本人"},
                {"name": "見本 太郎", "birth_date": "2020-05-05", "relation": "子"},
            ],
        },
        ensure_ascii=False,
    )


def test_a_good_jsonl_file() -> None:
    got = parse_jsonl(line("R-1") + "\n\n" + line("R-2", "見本 次郎") + "\n")
    assert [r.reservation_id for r in got] == ["R-1", "R-2"]
    assert got[0].household[1].relation == "子" and got[0].move_date == D(2026, 11, 28)
    assert "見本" not in repr(got[0]) and "見本" not in repr(got[0].household[0])


def test_a_good_csv_file_groups_a_household() -> None:
    text = (
        f"{HEADER}\n"
        "R-1,見本 花子,ミホン ハナコ,1990-04-01,本人,2026-12-01,2026-12-14,2026-11-28,旧住所1,新住所1\n"
        "R-1,見本 太郎,,2020-05-05,子,,,,,\n"
        "R-2,見本 次郎,,1985-01-01,本人,2026-12-01,2026-12-14,2026-11-28,旧住所2,新住所2\n"
    )
    got = parse_csv(text)
    assert [(r.reservation_id, len(r.household)) for r in got] == [("R-1", 2), ("R-2", 1)]


def test_malformed_jsonl_rows_are_refused_with_line_numbers_and_no_values() -> None:
    bad_date = line("R-2").replace("1990-04-01", "1990-13-01")
    text = "\n".join([line("R-1"), "{not json", bad_date, json.dumps({"reservation_id": "R-4"})])
    with pytest.raises(ReservationFileRefused) as caught:
        parse_jsonl(text)
    problems = caught.value.problems
    assert "line 2: -: not JSON" in problems
    assert "line 3: birth_date: not a date (YYYY-MM-DD)" in problems
    assert any(p.startswith("line 4: household") for p in problems)
    assert not any(p.startswith("line 1") for p in problems)
    assert "見本" not in " ".join(problems) and "1990" not in " ".join(problems)
    assert "nothing imported" in caught.value.en


def test_malformed_csv_rows_are_refused_with_line_numbers() -> None:
    text = (
        f"{HEADER}\n"
        "R-1,見本 花子,,1990-04-01,本人,2026-12-14,2026-12-01,2026-11-28,旧,新\n"
        "R-2,,,1990-04-01,本人,2026-12-01,2026-12-14,2026-11-28,旧,新\n"
        "R-3,見本 花子,,1990-04-01\n"
    )
    with pytest.raises(ReservationFileRefused) as caught:
        parse_csv(text)
    assert caught.value.problems == [
        "line 2: window_end: before window_start",
        "line 3: name: missing",
        "line 4: -: wrong number of columns",
    ]
    with pytest.raises(ReservationFileRefused) as caught:
        parse_csv("reservation_id,name\nR-1,x\n")
    assert "line 1: birth_date: column missing" in caught.value.problems


def test_a_repeated_reservation_id_in_one_file_is_refused() -> None:
    with pytest.raises(ReservationFileRefused) as caught:
        parse_jsonl("\n".join([line("R-1"), line("R-2"), line("R-1")]))
    assert caught.value.problems == ["line 3: reservation_id: repeated (first on line 1)"]
    csv_text = (
        f"{HEADER}\n"
        "R-1,見本 花子,,1990-04-01,本人,2026-12-01,2026-12-14,2026-11-28,旧,新\n"
        "R-2,見本 次郎,,1985-01-01,本人,2026-12-01,2026-12-14,2026-11-28,旧,新\n"
        "R-1,見本 花子,,1990-04-01,本人,2026-12-01,2026-12-14,2026-11-28,旧,新\n"
    )
    with pytest.raises(ReservationFileRefused) as caught:
        parse_csv(csv_text)
    assert caught.value.problems == ["line 4: reservation_id: repeated (first on line 2)"]


def _r(rid: str, name: str, birth: dt.date, start: dt.date, end: dt.date) -> Reservation:
    return Reservation(
        reservation_id=rid,
        household=(Member(name=name, birth_date=birth, relation="本人"),),
        window_start=start,
        window_end=end,
        move_date=start,
        old_address="旧",
        new_address="新",
    )


def test_the_match_needs_name_and_birth_date_and_the_window() -> None:
    r = _r("R-1", "見本 花子", D(1990, 4, 1), D(2026, 12, 1), D(2026, 12, 14))
    assert matches(r, "見本　花子", D(1990, 4, 1), D(2026, 12, 1))  # full-width space folded
    assert matches(r, "見本花子", D(1990, 4, 1), D(2026, 12, 14))  # both ends included
    assert not matches(r, "見本 花子", D(1990, 4, 2), D(2026, 12, 5))  # name alone: never
    assert not matches(r, "見本 花子", D(1990, 4, 1), D(2026, 11, 30))
    assert not matches(r, "見本 花子", D(1990, 4, 1), D(2026, 12, 15))
    assert not matches(r, "見本 華子", D(1990, 4, 1), D(2026, 12, 5))
    assert not matches(r, " ", D(1990, 4, 1), D(2026, 12, 5))
    assert fold_name("ＭＩＨＯＮ  Hanako") == "mihonhanako"


def test_two_residents_with_the_same_name_are_not_confused() -> None:
    elder = _r("R-1", "見本 花子", D(1950, 1, 1), D(2026, 12, 1), D(2026, 12, 14))
    younger = _r("R-2", "見本 花子", D(1990, 4, 1), D(2026, 12, 1), D(2026, 12, 14))
    both = [elder, younger]
    assert choose(both, "見本 花子", D(1990, 4, 1), D(2026, 12, 3)) is younger
    assert choose(both, "見本 花子", D(1950, 1, 1), D(2026, 12, 3)) is elder
    assert choose(both, "見本 花子", D(1970, 1, 1), D(2026, 12, 3)) is None
    twin = _r("R-3", "見本 花子", D(1990, 4, 1), D(2026, 12, 10), D(2026, 12, 20))
    assert choose([*both, twin], "見本 花子", D(1990, 4, 1), D(2026, 12, 12)) is None  # ambiguous
    assert choose([*both, twin], "見本 花子", D(1990, 4, 1), D(2026, 12, 16)) is twin
