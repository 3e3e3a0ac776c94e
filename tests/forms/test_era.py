import datetime as dt

import pytest

from forms.era import from_era, parse_date, to_japanese
from forms.errors import FieldValueError

BOUNDARIES = [
    ("1873-01-01", "明治6年1月1日"),
    ("1912-07-29", "明治45年7月29日"),
    ("1912-07-30", "大正元年7月30日"),
    ("1926-12-24", "大正15年12月24日"),
    ("1926-12-25", "昭和元年12月25日"),
    ("1989-01-07", "昭和64年1月7日"),
    ("1989-01-08", "平成元年1月8日"),
    ("2019-04-30", "平成31年4月30日"),
    ("2019-05-01", "令和元年5月1日"),
    ("2020-01-01", "令和2年1月1日"),
]


@pytest.mark.parametrize(("iso", "japanese"), BOUNDARIES)
def test_boundaries_both_ways(iso: str, japanese: str) -> None:
    day = dt.date.fromisoformat(iso)
    assert to_japanese(day) == japanese
    assert parse_date(japanese) == day


def test_western_year_beside_the_era() -> None:
    assert to_japanese(dt.date(1989, 1, 8), western=True) == "平成元年（1989年）1月8日"


@pytest.mark.parametrize(
    "text",
    [
        "令和7年5月1日",
        "R7.5.1",
        "r7.5.1",
        "R07.05.01",
        "令和７年５月１日",
        "2025-05-01",
        "２０２５－０５－０１",
        "2025/5/1",
        "2025年5月1日",
        "20250501",
        " 令和 7 年 5 月 1 日 ",
    ],
)
def test_input_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2025, 5, 1)


def test_gannen_input() -> None:
    assert parse_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert parse_date("H1.1.8") == dt.date(1989, 1, 8)


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # 令和 already
        "令和元年4月30日",  # still 平成
        "昭和64年1月8日",
        "R0.1.1",
        "2019-02-30",
        "明治5年12月31日",  # before the solar calendar
        "1872-12-31",
        "X7.5.1",
        "yesterday",
        "",
    ],
)
def test_bad_dates_refused_with_a_message(text: str) -> None:
    with pytest.raises(FieldValueError) as info:
        parse_date(text)
    assert info.value.ja and info.value.en


def test_from_era_refuses_unknown_era() -> None:
    with pytest.raises(FieldValueError):
        from_era("慶応", 3, 1, 1)


def test_every_day_round_trips() -> None:
    day = dt.date(1873, 1, 1)
    end = dt.date(2031, 1, 1)
    while day < end:
        assert parse_date(to_japanese(day)) == day
        day += dt.timedelta(days=13)
