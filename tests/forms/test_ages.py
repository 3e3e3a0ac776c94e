"""Ages as the law counts them (the day before the birthday) and as schools count them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.ages import (
    age_reached_on,
    anniversary,
    birthday_age,
    legal_age,
    school_year_age,
    school_year_start,
)

D = dt.date


@pytest.mark.parametrize(
    ("birth", "years", "reached"),
    [
        (D(1960, 6, 11), 65, D(2025, 6, 10)),  # the day before the birthday
        (D(2000, 1, 1), 20, D(2019, 12, 31)),  # across the year boundary
        (D(2000, 2, 29), 21, D(2021, 2, 28)),  # 29 February, common year: 28 February
        (D(2000, 3, 1), 21, D(2021, 2, 28)),  # … the same day as a 1 March birth
        (D(2000, 2, 29), 24, D(2024, 2, 28)),  # leap year: the day before 29 February
    ],
)
def test_the_day_an_age_is_reached(birth: dt.date, years: int, reached: dt.date) -> None:
    assert age_reached_on(birth, years) == reached
    assert legal_age(birth, reached) == years
    assert legal_age(birth, reached - dt.timedelta(days=1)) == years - 1


def test_birthday_counting_is_one_day_later() -> None:
    birth = D(1950, 6, 10)
    assert birthday_age(birth, D(2025, 6, 9)) == 74
    assert birthday_age(birth, D(2025, 6, 10)) == 75
    assert legal_age(birth, D(2025, 6, 9)) == 75  # 75歳に達した日 is 9 June
    assert anniversary(D(2000, 2, 29), 1) == D(2001, 3, 1)
    assert birthday_age(D(2000, 2, 29), D(2001, 2, 28)) == 0
    assert birthday_age(D(2000, 2, 29), D(2001, 3, 1)) == 1


def test_before_birth_the_age_is_negative() -> None:
    assert birthday_age(D(2025, 6, 1), D(2025, 5, 1)) == -1
    assert legal_age(D(2025, 6, 1), D(2025, 5, 30)) == -1


@pytest.mark.parametrize(
    ("birth", "on", "years"),
    [
        (D(2019, 4, 1), D(2025, 4, 1), 6),  # 早生まれ: 1 April starts 小学校 a year earlier
        (D(2019, 4, 2), D(2025, 4, 1), 5),  # … than 2 April
        (D(2019, 4, 2), D(2026, 3, 31), 5),
        (D(2019, 4, 2), D(2026, 4, 1), 6),
        (D(2010, 4, 2), D(2026, 3, 31), 14),  # 中学3年 to the last day
        (D(2010, 4, 1), D(2025, 4, 1), 15),  # left 中学校 on 31 March 2025
        (D(2007, 4, 2), D(2025, 12, 31), 17),  # 高校3年の年代: the child allowance still pays
    ],
)
def test_school_year_age(birth: dt.date, on: dt.date, years: int) -> None:
    assert school_year_age(birth, on) == years


def test_school_year_starts_on_1_april() -> None:
    assert school_year_start(D(2026, 3, 31)) == D(2025, 4, 1)
    assert school_year_start(D(2026, 4, 1)) == D(2026, 4, 1)
    assert school_year_start(D(2026, 1, 1)) == D(2025, 4, 1)


days = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


@given(birth=days, on=days)
def test_legal_age_is_the_birthday_age_of_the_next_day(birth: dt.date, on: dt.date) -> None:
    if on >= D(2100, 12, 31):
        return
    assert legal_age(birth, on) == birthday_age(birth, on + dt.timedelta(days=1))
    assert birthday_age(birth, on) <= legal_age(birth, on) <= birthday_age(birth, on) + 1


@given(birth=days, years=st.integers(min_value=1, max_value=120))
def test_the_reached_day_is_the_first_day_of_the_age(birth: dt.date, years: int) -> None:
    day = age_reached_on(birth, years)
    assert legal_age(birth, day) == years
    assert legal_age(birth, day - dt.timedelta(days=1)) == years - 1
