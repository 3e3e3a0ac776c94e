"""Which persons of a record something is about: 75歳以上の方, 中学生以下のお子さん, 亡くなった方.

One `PersonFilter` serves two places with the same meaning:

- a template's group (`groups[].persons`) lists only the persons it matches, e.g. the
  後期高齢者医療 form lists the household members aged 75 or more;
- a navigator condition (`someone:` / `count:` in a bundle) asks whether anyone matches.

Every criterion is optional; a filter with none matches every person. Tests are three-valued:
`True`, `False`, or `None` when the record does not say (no birth date yet), so a navigator
can ask the resident instead of guessing. Ages are counted on a reference day (the office's
today unless `day` names a date of the record), and a deceased person's age stops at death.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forms.ages import birthday_age, legal_age, school_year_age
from forms.errors import PathError
from forms.paths import get_value, parse_path
from forms.record import Person, SessionRecord


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)


def check_date_path(text: str) -> str:
    """A record path that holds a date (`date.death`, `session.today`, `person[1].died_on`)."""
    try:
        path = parse_path(text)
    except PathError as exc:
        raise ValueError(f"{exc.ja} / {exc.en}") from None
    if path.starred:
        raise ValueError("[*] は使えません / [*] is not allowed here")
    if path.kind not in ("date", "any"):
        raise ValueError(f"{text} は日付ではありません / {text} does not hold a date")
    return text


class AgeRange(_Strict):
    """Whole years, both ends included: {min: 20, max: 59}."""

    min: int | None = Field(default=None, ge=0, le=150)
    max: int | None = Field(default=None, ge=0, le=150)
    # legal: 年齢計算ニ関スル法律, the age changes the day before the birthday (介護保険, 国民年金)
    # birthday: on the birthday itself (後期高齢者医療)
    counting: Literal["legal", "birthday"] = "legal"

    @model_validator(mode="after")
    def _bounds(self) -> AgeRange:
        if self.min is None and self.max is None:
            raise ValueError("min か max が必要です / give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min が max より大きい / min is greater than max")
        return self

    def holds(self, years: int) -> bool:
        return (self.min is None or years >= self.min) and (self.max is None or years <= self.max)


class YearRange(_Strict):
    """School-year ages (see `forms.ages.school_year_age`): 中学生以下 is {max: 14}."""

    min: int | None = Field(default=None, ge=0, le=30)
    max: int | None = Field(default=None, ge=0, le=30)

    @model_validator(mode="after")
    def _bounds(self) -> YearRange:
        if self.min is None and self.max is None:
            raise ValueError("min か max が必要です / give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min が max より大きい / min is greater than max")
        return self

    def holds(self, years: int) -> bool:
        return (self.min is None or years >= self.min) and (self.max is None or years <= self.max)


class PersonFilter(_Strict):
    index: int | None = Field(default=None, ge=0)  # one person: 0 is the card holder
    relations: list[str] | None = Field(default=None, min_length=1)  # 続柄 to the householder
    # has a 続柄, i.e. belongs to the household (an empty 続柄: not known yet, see `test`)
    member: bool | None = None
    deceased: bool | None = None  # has a date of death (亡くなった方) / is alive
    foreign: bool | None = None  # has a nationality (外国人住民)
    age: AgeRange | None = None
    school_year_age: YearRange | None = None
    # a date path: the day ages are counted on (default: today). Not `on`: YAML reads on as true.
    day: str | None = None

    @field_validator("day")
    @classmethod
    def _check_day(cls, value: str | None) -> str | None:
        return value if value is None else check_date_path(value)

    def reference_day(self, record: SessionRecord, today: dt.date) -> dt.date | None:
        if self.day is None:
            return today
        value = get_value(record, parse_path(self.day))
        return value if isinstance(value, dt.date) else None

    def test(
        self, person: Person, index: int, record: SessionRecord, today: dt.date
    ) -> bool | None:
        """Whether `person` (at `index`) matches; None when the record does not say yet.

        An empty 続柄 is not known yet, not "outside the household": a card holds none, so at
        the counter's navigator the notifier's and the others' 続柄 are still to be typed.
        `relations` and `member` then do not decide (None) unless another criterion fails.
        """
        if self.index is not None and index != self.index:
            return False
        unknown = False
        if self.relations is not None or self.member is not None:
            outside = self.relations is not None and person.relation not in self.relations
            if not person.relation:
                unknown = True
            elif outside or self.member is False:
                return False
        if self.deceased is not None and (person.died_on is not None) != self.deceased:
            return False
        if self.foreign is not None and bool(person.nationality) != self.foreign:
            return False
        if self.age is None and self.school_year_age is None:
            return None if unknown else True
        day = self.reference_day(record, today)
        if person.birth_date is None or day is None:
            return None
        if person.died_on is not None:
            day = min(day, person.died_on)  # the age of the deceased stops at death
        if self.age is not None:
            count = birthday_age if self.age.counting == "birthday" else legal_age
            if not self.age.holds(count(person.birth_date, day)):
                return False
        if self.school_year_age is not None and not self.school_year_age.holds(
            school_year_age(person.birth_date, day)
        ):
            return False
        return None if unknown else True

    def matching(self, record: SessionRecord, today: dt.date) -> list[int]:
        """Indexes of the persons that surely match (unknowns left out), in record order."""
        return [n for n, p in enumerate(record.persons) if self.test(p, n, record, today) is True]
