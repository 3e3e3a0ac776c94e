"""Sex on forms that print only 男/女, for a person whose card says 適用不能 (9) or 不明 (0).

The My Number Card's input-assist AP codes sex as 1 男, 2 女, 9 適用不能, 0 不明 (ISO/IEC 5218).
住民異動届 and 国保 print only 男 and 女. A form is never filled by guessing:

- the record keeps what the card said (`Person.sex`);
- the person (or staff with them) is asked which of 男/女 to print on such forms, and the
  answer is kept apart, per person (`Person.sex_for_forms`, path `person[N].sex_for_forms`);
- until it is answered, validation reports an error on the form's sex field with code
  `QUESTION_CODE`, asking for it (never a "wrong value" error);
- the form prints only the answer.

A person whose `sex` is already 男 or 女 is never asked. An edit of the form's sex field for a
person whose card said 9 or 0 is written to `sex_for_forms`, so the card's value stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.errors import FieldValueError
from forms.record import Person, Sex

if TYPE_CHECKING:
    from forms.template import FieldSpec

QUESTION_CODE = "sex_for_forms"
QUESTION_JA = (
    "この様式の性別欄は「男」「女」のどちらかです。記入する方を本人に確かめて選んでください"
)
QUESTION_EN = "this form prints only 男 (male) or 女 (female): ask the person which one to print"


@dataclass(frozen=True)
class SexQuestion:
    """One person to ask: `person[index].sex_for_forms`, answered with one of `choices`."""

    person_index: int
    choices: tuple[str, ...]  # option values of the forms asking, e.g. ("male", "female")

    @property
    def path(self) -> str:
        return f"person[{self.person_index}].sex_for_forms"


def is_sex_slot(spec: FieldSpec, path_kind: str, root: str) -> bool:
    """A select bound to a person's sex (`person[N].sex`, `person[*].sex`)."""
    return spec.type == "select" and path_kind == "sex" and root == "person"


def sex_to_print(person: Person, spec: FieldSpec) -> Sex | None:
    """What `spec` (a sex select) takes for `person`: their sex if the form offers it, else
    their answer for such forms if the form offers that, else None (ask them)."""
    allowed = spec.option_values()
    if person.sex is not None and person.sex.value in allowed:
        return person.sex
    if person.sex_for_forms is not None and person.sex_for_forms.value in allowed:
        return person.sex_for_forms
    return None


def needs_answer(person: Person, spec: FieldSpec) -> bool:
    """Is `person`'s sex something `spec` cannot print, with no answer yet?"""
    return person.sex is not None and sex_to_print(person, spec) is None


def question_error() -> FieldValueError:
    return FieldValueError(QUESTION_JA, QUESTION_EN, code=QUESTION_CODE)
