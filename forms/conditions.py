"""The navigator's conditions: small expressions over the answers and the session record.

In a bundle's YAML a condition is one of:

    has_dog                                   the answer to question `has_dog` is はい
    {not: C}    {all: [C, …]}    {any: [C, …]}
    {someone: FILTER}                         a person matches (see forms.person_filter)
    {count: FILTER, min: 2, max: 3}           how many persons match
    {same: [PATH, PATH]}                      two record values are equal
    {value: PATH, one_of: [a, b]}             a record value is one of these
    {filled: PATH}                            the record has a value there

Logic is three-valued (Kleene): each condition is True, False, or None when the record and
the answers so far do not decide it. `{all: …}` is False as soon as one part is False, even if
others are still open; that is how a question the record already answers is never asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from forms.errors import PathError
from forms.fields import is_empty
from forms.paths import get_value, parse_path
from forms.person_filter import PersonFilter
from forms.record import Address, PersonName, SessionRecord, Sex

Truth = bool | None


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        frozen=True,
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
    )


def check_value_path(text: str) -> str:
    try:
        path = parse_path(text)
    except PathError as exc:
        raise ValueError(f"{exc.ja} / {exc.en}") from None
    if path.starred:
        raise ValueError("[*] は使えません / [*] is not allowed here")
    return text


class Not(_Strict):
    not_: Condition = Field(alias="not")


class All(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class Someone(_Strict):
    someone: PersonFilter


class Count(_Strict):
    count: PersonFilter
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)


class Same(_Strict):
    same: list[str] = Field(min_length=2, max_length=2)

    @field_validator("same")
    @classmethod
    def _paths(cls, value: list[str]) -> list[str]:
        return [check_value_path(v) for v in value]


class ValueIn(_Strict):
    value: str
    one_of: list[str | int | bool] = Field(min_length=1)

    @field_validator("value")
    @classmethod
    def _path(cls, value: str) -> str:
        return check_value_path(value)


class Filled(_Strict):
    filled: str

    @field_validator("filled")
    @classmethod
    def _path(cls, value: str) -> str:
        return check_value_path(value)


_KEYS = ("not", "all", "any", "someone", "count", "same", "value", "filled")
_BY_TYPE: dict[type, str] = {
    Not: "not",
    All: "all",
    AnyOf: "any",
    Someone: "someone",
    Count: "count",
    Same: "same",
    ValueIn: "value",
    Filled: "filled",
}


def _tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "question"
    if isinstance(value, dict):
        found = [k for k in _KEYS if k in value]
        return found[0] if len(found) == 1 else None
    return _BY_TYPE.get(type(value))


Condition = Annotated[
    Annotated[str, Tag("question")]
    | Annotated[Not, Tag("not")]
    | Annotated[All, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Someone, Tag("someone")]
    | Annotated[Count, Tag("count")]
    | Annotated[Same, Tag("same")]
    | Annotated[ValueIn, Tag("value")]
    | Annotated[Filled, Tag("filled")],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message=(
            "条件は質問ID、または not / all / any / someone / count / same / value / filled の"
            "いずれか一つのキーを持つ対応表です / a condition is a question id or a mapping with "
            "exactly one of not, all, any, someone, count, same, value, filled"
        ),
    ),
]

for _model in (Not, All, AnyOf):
    _model.model_rebuild()


def questions_named(condition: Condition) -> Iterator[str]:
    """Every question id the condition refers to."""
    match condition:
        case str():
            yield condition
        case Not():
            yield from questions_named(condition.not_)
        case All():
            for part in condition.all:
                yield from questions_named(part)
        case AnyOf():
            for part in condition.any:
                yield from questions_named(part)


@dataclass(frozen=True)
class Context:
    """What conditions are evaluated against: the record, the day, the answers so far."""

    record: SessionRecord
    today: dt.date
    answer: Callable[[str], Truth]  # question id → its answer (None: not yet)


def evaluate(condition: Condition, ctx: Context) -> Truth:
    match condition:
        case str():
            return ctx.answer(condition)
        case Not():
            inner = evaluate(condition.not_, ctx)
            return None if inner is None else not inner
        case All():
            return _all(evaluate(c, ctx) for c in condition.all)
        case AnyOf():
            return _any(evaluate(c, ctx) for c in condition.any)
        case Someone():
            if _deceased_not_entered(condition.someone, ctx):
                return None
            return _any(
                condition.someone.test(p, n, ctx.record, ctx.today)
                for n, p in enumerate(ctx.record.persons)
            )
        case Count():
            return _count(condition, ctx)
        case Same():
            a, b = (_value(ctx.record, p) for p in condition.same)
            return None if a is None or b is None else a == b
        case ValueIn():
            value = _value(ctx.record, condition.value)
            return None if value is None else value in condition.one_of
        case Filled():
            return _value(ctx.record, condition.filled) is not None
    raise TypeError(type(condition).__name__)  # pragma: no cover - the union is closed


def _all(parts: Iterator[Truth]) -> Truth:
    result: Truth = True
    for part in parts:
        if part is False:
            return False
        if part is None:
            result = None
    return result


def _any(parts: Iterator[Truth]) -> Truth:
    result: Truth = False
    for part in parts:
        if part is True:
            return True
        if part is None:
            result = None
    return result


def _deceased_not_entered(person_filter: PersonFilter, ctx: Context) -> bool:
    """Asking about 亡くなった方 while the record holds no one with a date of death: the
    deceased is not entered yet (おくやみ from the notifier's own card), so the record does
    not say, and the navigator asks rather than answering いいえ."""
    return person_filter.deceased is True and all(p.died_on is None for p in ctx.record.persons)


def _count(condition: Count, ctx: Context) -> Truth:
    if _deceased_not_entered(condition.count, ctx):
        return None
    results = [
        condition.count.test(p, n, ctx.record, ctx.today) for n, p in enumerate(ctx.record.persons)
    ]
    surely, maybe = results.count(True), results.count(None)
    low, high = surely, surely + maybe

    def within(n: int) -> bool:
        return (condition.min is None or n >= condition.min) and (
            condition.max is None or n <= condition.max
        )

    if within(low) and within(high):
        return True
    if (condition.min is not None and high < condition.min) or (
        condition.max is not None and low > condition.max
    ):
        return False
    return None


def _value(record: SessionRecord, text: str) -> Any:
    """A record value in a comparable form (None when empty)."""
    value = get_value(record, parse_path(text))
    if is_empty(value):
        return None
    if isinstance(value, Sex):
        return value.value
    if isinstance(value, PersonName):
        return value.full
    if isinstance(value, Address):
        return value.full
    return value


def check_questions_exist(
    condition: Condition, known: Mapping[str, int], before: int | None
) -> list[str]:
    """Problems with the question ids a condition names: unknown, or not asked earlier."""
    out = []
    for name in questions_named(condition):
        if name not in known:
            out.append(f"質問 {name!r} がありません / no question {name!r}")
        elif before is not None and known[name] >= before:
            out.append(
                f"質問 {name!r} はこの質問より後です / question {name!r} is not asked before this one"
            )
    return out
