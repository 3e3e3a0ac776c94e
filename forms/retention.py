"""How long an application is kept, and when its individual number must go (番号法 第20条).

Each template declares `retention` (`forms.template.Retention`): the years its records are kept
with the rule that sets them, and, for a form that reads the individual number, the days the
number is still needed once the form is 完了. An admin may shorten either (never lengthen past
the declaration: `effective`).

Dates are the office's (forms.clock), never the machine's:

- A record's period begins, as municipal records do (公文書の保存期間の起算日), on the April 1
  that follows the fiscal year (April–March) in which it was finished (完了 or 差戻し); it is
  deleted on the first office day after `years` full years from then. A record not finished is
  never deleted.
- The individual number is erased on the office day `individual_number_days` after the day the
  form reached 完了 (0: the same night's run).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms.clock import OfficeClock
from forms.fill import slots
from forms.record import SessionRecord
from forms.template import Retention, Template


@dataclass(frozen=True)
class Period:
    """The retention in force for one template: the declaration, or an admin's shorter one."""

    years: int
    individual_number_days: int | None
    basis: str
    shortened: bool = False


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (年度) of `day`: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def effective(
    declared: Retention, years: int | None = None, individual_number_days: int | None = None
) -> Period:
    """`declared`, shortened by an admin's choice where one is given; longer is refused."""
    if years is not None and not 1 <= years <= declared.years:
        raise ValueError("retention may be shortened, never lengthened past its declaration")
    need = declared.individual_number_days
    if individual_number_days is not None:
        if need is None or not 0 <= individual_number_days <= need:
            raise ValueError("the individual number's need may be shortened, never lengthened")
        need = individual_number_days
    chosen_years = years if years is not None else declared.years
    return Period(
        chosen_years,
        need,
        declared.basis,
        shortened=chosen_years < declared.years or need != declared.individual_number_days,
    )


def delete_on(finished_day: dt.date, years: int) -> dt.date:
    """The office day a record finished on `finished_day` is deleted (kept `years` years from
    the next fiscal year's April 1)."""
    return dt.date(fiscal_year(finished_day) + 1 + years, 4, 1)


def record_expired(
    finished_at: dt.datetime, period: Period, clock: OfficeClock, now: dt.datetime | None = None
) -> bool:
    now = clock.now() if now is None else now
    return clock.date_of(now) >= delete_on(clock.date_of(finished_at), period.years)


def erase_on(done_day: dt.date, days: int) -> dt.date:
    return done_day + dt.timedelta(days=days)


def number_expired(
    done_at: dt.datetime, period: Period, clock: OfficeClock, now: dt.datetime | None = None
) -> bool:
    if period.individual_number_days is None:
        return False
    now = clock.now() if now is None else now
    return clock.date_of(now) >= erase_on(clock.date_of(done_at), period.individual_number_days)


def erase_individual_numbers(template: Template, record: SessionRecord) -> int:
    """Remove every individual number the record holds for `template` (in place); how many.

    The card's number goes in any case (only a form that declares the need ever gets it)."""
    erased = 0
    for slot in slots(template, record):
        if slot.spec.type != "individual_number":
            continue
        path = slot.path
        if path.root == "answers":
            if record.answers.pop(".".join(path.parts), None) is not None:
                erased += 1
        elif path.root == "qr" and record.qr.pop(".".join(path.parts), None) is not None:
            erased += 1
    if record.card is not None and record.card.individual_number is not None:
        record.card = record.card.model_copy(update={"individual_number": None})
        erased += 1
    return erased
