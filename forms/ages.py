"""Ages as Japanese law counts them, and the school year a child is in.

年齢計算ニ関スル法律 (1902) counts age from the day of birth and 民法 第143条 ends each year
on the day before its anniversary: a person *reaches* N years (N歳に達する) at the end of the
day before the N-th birthday. Offices use both instants, and the difference is one day:

- `legal_age`: the age reached by the end of the day before (年齢計算ニ関スル法律).
  国民年金 第1号 starts on the day 20 is reached (国民年金法 第8条) and ends on the day 60 is
  (第9条); 介護保険 第1号 starts on the day 65 is reached (介護保険法 第10条).
  So these change on the day *before* the birthday.
- `birthday_age`: the age counted on the birthday itself. 後期高齢者医療 starts on the 75th
  birthday (高齢者の医療の確保に関する法律 第52条: 75歳に達したとき, applied as 誕生日当日).

A person born on 29 February reaches their age on 28 February in a common year (民法 第143条
第2項: no anniversary in that month, so the month's last day); their birthday is 1 March.

`school_year_age` is how schools count: a child starts 小学校 in the first school year that
begins after the day they reach 6 (学校教育法 第17条), and the school year begins on 1 April
(学校教育法施行規則 第59条). So a child born on 1 April is a year ahead of one born on 2 April.
"""

from __future__ import annotations

import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def anniversary(birth: dt.date, years: int) -> dt.date:
    """The birthday `years` after `birth` (1 March for a 29 February birth in a common year)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February, common year
        return dt.date(birth.year + years, 3, 1)


def age_reached_on(birth: dt.date, years: int) -> dt.date:
    """The day a person born on `birth` reaches `years` (N歳に達する日): the day before."""
    return anniversary(birth, years) - ONE_DAY


def birthday_age(birth: dt.date, on: dt.date) -> int:
    """Whole years on `on`, counted on the birthday (negative before birth)."""
    years = on.year - birth.year
    return years - 1 if on < anniversary(birth, years) else years


def legal_age(birth: dt.date, on: dt.date) -> int:
    """Whole years reached by the end of `on` (年齢計算ニ関スル法律): one day ahead of birthdays."""
    return birthday_age(birth, on + ONE_DAY)


def school_year_start(on: dt.date) -> dt.date:
    """1 April that began the school year `on` is in."""
    year = on.year if (on.month, on.day) >= (4, 1) else on.year - 1
    return dt.date(year, 4, 1)


def school_year_age(birth: dt.date, on: dt.date) -> int:
    """The age a school counts a child in for the school year of `on`.

    It is the age reached by 31 March before that school year: 6 in 小学1年, 14 in 中学3年,
    17 in the school year that ends after reaching 18 (高校3年生の年代). "中学生以下" is
    `school_year_age <= 14`; "18歳到達後の最初の3月31日まで" (児童手当) is `<= 17`.
    """
    return legal_age(birth, school_year_start(on) - ONE_DAY)
