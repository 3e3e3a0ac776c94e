"""Japanese era dates (和暦), both ways, from 明治6年 (1873-01-01) on.

Gregorian and Japanese dates line up only from 明治6年; birth dates need nothing earlier.
The first year of an era is written 元年.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from forms.errors import FieldValueError


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    start: dt.date  # first day of 元年


ERAS: tuple[Era, ...] = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),  # 明治元年 as counted; dates before 1873 are refused
)
EARLIEST = dt.date(1873, 1, 1)
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}


def era_of(day: dt.date) -> Era:
    if day < EARLIEST:
        raise FieldValueError(
            "明治6年（1873年）より前の日付は扱えません", "dates before 1873 are not supported"
        )
    return next(e for e in ERAS if day >= e.start)


def era_year(day: dt.date) -> tuple[Era, int]:
    era = era_of(day)
    return era, day.year - era.start.year + 1


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def to_japanese(day: dt.date, *, western: bool = False) -> str:
    """1989-01-08 → `平成元年1月8日`; with `western=True` → `平成元年（1989年）1月8日`."""
    era, year = era_year(day)
    west = f"（{day.year}年）" if western else ""
    return f"{era.name}{_year_text(year)}年{west}{day.month}月{day.day}日"


def from_era(era_name: str, year: int, month: int, day: int) -> dt.date:
    """`from_era("平成", 1, 1, 8)` → 1989-01-08; refuses dates outside the named era."""
    era = _BY_NAME.get(era_name)
    if era is None:
        raise FieldValueError(f"元号「{era_name}」は扱えません", f"unknown era {era_name!r}")
    if year < 1:
        raise FieldValueError("年は1（元年）以上です", "the era year starts at 1 (元年)")
    try:
        result = dt.date(era.start.year + year - 1, month, day)
    except ValueError:
        raise FieldValueError("存在しない日付です", "no such date") from None
    if result < era.start or era_of(result) is not era:
        raise FieldValueError(
            f"その日付は{era.name}の期間外です", f"that date is outside the {era.name} era"
        )
    return result


_ERA_TEXT = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*\.?\s*(?P<y>元|\d{1,2})\s*[年./\-]\s*"
    r"(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*日?$",
    re.IGNORECASE,
)
_WESTERN = re.compile(
    r"^(?P<y>\d{4})\s*[年./\-]\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*日?$"
)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")


def parse_date(text: str) -> dt.date:
    """Accept 令和7年5月1日, R7.5.1, 令和元年5月1日, 2025-05-01, 2025/5/1, 20250501, full width."""
    value = unicodedata.normalize("NFKC", text).strip()
    if m := _ERA_TEXT.match(value):
        year = 1 if m["y"] == "元" else int(m["y"])
        return from_era(m["era"].upper(), year, int(m["m"]), int(m["d"]))
    if m := _WESTERN.match(value) or _COMPACT.match(value):
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            raise FieldValueError("存在しない日付です", "no such date") from None
        era_of(day)  # refuses dates before 1873
        return day
    raise FieldValueError(
        "日付は「令和7年5月1日」「R7.5.1」「2025-05-01」のように入力してください",
        "enter a date like 令和7年5月1日, R7.5.1 or 2025-05-01",
    )


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on `day` (年齢計算ニ関スル法律: a year is complete at the end of
    the day before the birthday, so one is a year older on the birthday itself; a person born
    on 29 February is a year older on 1 March in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
