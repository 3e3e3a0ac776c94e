"""Life-event bundles (引越し・転入, 出生, おくやみ, …): the forms one event needs over one record.

A bundle names its forms and, for the procedure navigator (`forms.navigator`), the はい/いいえ
questions and the rules that choose among them:

    templates: [idou, kokuho, jidou_teate]   # the event's forms; those no rule names are always needed
    optional: [inkan]                        # offered: chosen by a rule or when the resident asks
    questions:
      - id: no_employee_insurance
        text: {ja: 会社の健康保険に入っていない方がいますか, en: …}
      - id: has_child
        text: {ja: 高校生以下のお子さんがいますか, en: …}
        derive: {someone: {school_year_age: {max: 17}}}   # the birth dates answer it
    rules:
      - id: no_employee_insurance            # required, unique in the bundle: its reason's
        when: no_employee_insurance          # catalogue key is bundle.<bundle>.rule.<id>.reason
        forms: [kokuho]
        reason: {ja: 会社の健康保険に入っていない方がいるため, en: …}
    defaults:                                # filled when the record has nothing there yet
      - {path: address.new, from: address.current}

Conditions are described in `forms.conditions`, person filters in `forms.person_filter`.
`parse_bundle` reports every problem at once, each with its place in the file (path and line).

`questions` (below) merges the fillable slots of every form by record path, so a bundle asks
each item exactly once, under one label, however many forms print it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from forms.conditions import Condition, check_questions_exist, check_value_path, questions_named
from forms.errors import PathError, TemplateError
from forms.fill import Held, Slot, slots
from forms.paths import PERSON_ATTRS, parse_path
from forms.person_filter import PersonFilter
from forms.record import SessionRecord
from forms.text import Text
from forms.yamlio import line_of, load_yaml

if TYPE_CHECKING:
    from forms.template import Template

TemplateId = str


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
    )


class EventQuestion(_Strict):
    """One はい/いいえ question of the navigator.

    `derive` lets the record answer it (both ways); `yes_if` / `no_if` answer it only one way
    each (e.g. 75歳以上 → はい, 65歳未満 → いいえ, in between: ask). `ask_if` limits it to
    when an earlier answer makes it relevant; where `ask_if` is false the answer is いいえ.
    Conditions may only name questions listed before this one.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    help: Text | None = None
    derive: Condition | None = None
    yes_if: Condition | None = None
    no_if: Condition | None = None
    ask_if: Condition | None = None

    @model_validator(mode="after")
    def _one_way_of_deriving(self) -> EventQuestion:
        if self.derive is not None and (self.yes_if is not None or self.no_if is not None):
            raise ValueError(
                "derive と yes_if・no_if は同時に使えません / use derive, or yes_if and no_if"
            )
        return self

    def conditions(self) -> dict[str, Condition]:
        named = {
            "derive": self.derive,
            "yes_if": self.yes_if,
            "no_if": self.no_if,
            "ask_if": self.ask_if,
        }
        return {k: v for k, v in named.items() if v is not None}


class Rule(_Strict):
    """When `when` holds, the navigator chooses `forms`, giving `reason` to the resident.

    `id` names the rule for good: the catalogues key its reason by it
    (`bundle.<bundle>.rule.<id>.reason`), so rules can be reordered without touching a
    translation. Required, and unique within the bundle.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: Condition
    forms: list[TemplateId] = Field(min_length=1)
    reason: Text


class PersonValue(_Strict):
    """One item of the first person a filter matches: `{who: {deceased: true}, value: died_on}`."""

    who: PersonFilter
    value: Literal["name", "kana", "birth_date", "sex", "relation", "nationality", "died_on"]


class Default(_Strict):
    """Before filling, copy a value into `path` when the record has nothing there yet.

    From another path, e.g. an event without a move registers the household at its current
    address: `{path: address.new, from: address.current}`; or from a person, e.g. the date of
    death: `{path: date.death, from_person: {who: {deceased: true}, value: died_on}}`.
    """

    path: str
    from_: str | None = Field(default=None, alias="from")
    from_person: PersonValue | None = None

    @field_validator("path", "from_")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        return value if value is None else check_value_path(value)

    @model_validator(mode="after")
    def _one_source(self) -> Default:
        if (self.from_ is None) == (self.from_person is None):
            raise ValueError("from か from_person のどちらか一つ / give from or from_person")
        return self


class Bundle(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    description: Text | None = None
    templates: list[TemplateId] = Field(min_length=1)
    optional: list[TemplateId] = Field(default_factory=list)  # filled when the resident asks
    questions: list[EventQuestion] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    defaults: list[Default] = Field(default_factory=list)
    # Answers the event itself gives, never asked: record path → value, e.g. moving in fixes
    # 住民異動届's kind to 転入 (`answers.idou.kind: moving_in`). See `fixed_answers`.
    fixed: dict[str, str | bool] = Field(default_factory=dict)

    @field_validator("fixed")
    @classmethod
    def _fixed_paths(cls, fixed: dict[str, str | bool]) -> dict[str, str | bool]:
        for text in fixed:
            try:
                path = parse_path(text)
            except PathError as exc:
                raise ValueError(f"{exc.ja} / {exc.en}") from None
            if path.read_only or path.starred:
                raise ValueError(f"{text}: 書き込めるパスではありません / not a writable path")
        return fixed

    def template_ids(self, include_optional: bool = False) -> list[str]:
        """Every form the event may bring (without the navigator), and the optional ones."""
        return [*self.templates, *(self.optional if include_optional else [])]

    def ruled_forms(self) -> set[str]:
        """The forms some rule chooses: the navigator decides about these."""
        return {f for rule in self.rules for f in rule.forms}

    def question(self, question_id: str) -> EventQuestion:
        return next(q for q in self.questions if q.id == question_id)


def parse_bundle(text: str, source: str = "<bundle>") -> Bundle:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise TemplateError(source, [f"YAML の構文誤り / malformed YAML{where}"]) from None
    if not isinstance(data, dict):
        raise TemplateError(source, ["最上位は対応表です / the top level must be a mapping"])
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        problems = [
            _place(text, _clean_loc(e["loc"]), _message(_clean_loc(e["loc"]), e["type"], e["msg"]))
            for e in exc.errors(include_input=False, include_url=False)
        ]
        raise TemplateError(source, problems) from None
    problems = [_place(text, loc, msg) for loc, msg in check_bundle(bundle)]
    if problems:
        raise TemplateError(source, problems)
    return bundle


def dump_bundle(bundle: Bundle) -> str:
    data = bundle.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


Loc = tuple[str | int, ...]


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """pydantic's location without the tags of the condition union (`when.all.all.1`)."""
    out: list[str | int] = []
    for part in loc:
        if part == "question" or (out and out[-1] == part and isinstance(part, str)):
            continue
        out.append(part)
    return tuple(out)


def _message(loc: Loc, kind: str, message: str) -> str:
    """pydantic's message, or ours where a bare "Field required" would not say enough."""
    if kind == "missing" and len(loc) == 3 and loc[0] == "rules" and loc[2] == "id":
        return (
            f"規則（{loc[1]} 番目、0 から）に id がありません。規則ごとに一意の id が必要です / "
            f"rule {loc[1]} (from 0) has no id: every rule needs one, unique in the bundle"
        )
    return message


def _place(text: str, loc: Loc, message: str) -> str:
    where = ".".join(str(p) for p in loc) or "(top)"
    line = line_of(text, loc)
    return f"{where} (line {line}): {message}" if line else f"{where}: {message}"


def check_bundle(bundle: Bundle) -> list[tuple[Loc, str]]:
    """Problems pydantic cannot see, each with its location in the bundle."""
    out: list[tuple[Loc, str]] = []
    listed = [*bundle.templates, *bundle.optional]
    for name, n in Counter(listed).items():
        if n > 1:
            key = "optional" if name in bundle.optional else "templates"
            out.append(
                (
                    (key,),
                    f"様式 {name} が重複しています（必須と任意の両方を含む） / "
                    f"form {name} is listed twice (perhaps both required and optional)",
                )
            )
    ids = {q.id: n for n, q in enumerate(bundle.questions)}
    for name, n in Counter(q.id for q in bundle.questions).items():
        if n > 1:
            out.append((("questions",), f"質問ID {name!r} が重複 / duplicate question id"))
    used: set[str] = set()
    for n, question in enumerate(bundle.questions):
        for key, condition in question.conditions().items():
            used.update(questions_named(condition))
            out.extend(
                (("questions", n, key), problem)
                for problem in check_questions_exist(condition, ids, before=n)
            )
    first_rule: dict[str, int] = {}
    for n, rule in enumerate(bundle.rules):
        if rule.id in first_rule:
            out.append(
                (
                    ("rules", n, "id"),
                    f"規則ID {rule.id!r} が重複（{first_rule[rule.id]} 番目の規則と同じ） / "
                    f"duplicate rule id {rule.id!r} (also rule {first_rule[rule.id]})",
                )
            )
        first_rule.setdefault(rule.id, n)
        used.update(questions_named(rule.when))
        out.extend(
            (("rules", n, "when"), problem)
            for problem in check_questions_exist(rule.when, ids, before=None)
        )
        for m, form in enumerate(rule.forms):
            if form not in listed:
                out.append(
                    (
                        ("rules", n, "forms", m),
                        f"様式 {form} は templates にも optional にもありません / "
                        f"form {form} is in neither templates nor optional",
                    )
                )
        if len(set(rule.forms)) != len(rule.forms):
            out.append((("rules", n, "forms"), "様式が重複 / a form is named twice"))
    for n, question in enumerate(bundle.questions):
        if question.id not in used:
            out.append(
                (
                    ("questions", n, "id"),
                    f"質問 {question.id!r} はどの規則にも使われていません / "
                    f"question {question.id!r} is used by no rule",
                )
            )
    for n, default in enumerate(bundle.defaults):
        out.extend((("defaults", n), p) for p in _check_default(default))
    return out


def _check_default(default: Default) -> list[str]:
    target = parse_path(default.path)
    if target.read_only:
        return [f"{default.path} には書き込めません / {default.path} is read-only"]
    if default.from_ is not None:
        source, kind = default.from_, parse_path(default.from_).kind
    else:
        assert default.from_person is not None
        source = f"person.{default.from_person.value}"
        kind = PERSON_ATTRS[default.from_person.value]
    if "any" not in (target.kind, kind) and target.kind != kind:
        return [
            f"{source} と {default.path} の型が違います / "
            f"{source} holds {kind}, {default.path} holds {target.kind}"
        ]
    return []


def fixed_answers(bundles: list[Bundle]) -> dict[str, str | bool]:
    """The answers the chosen events fix (the first event's value wins a disagreement)."""
    out: dict[str, str | bool] = {}
    for bundle in bundles:
        for path, value in bundle.fixed.items():
            out.setdefault(path, value)
    return out


@dataclass
class Question:
    """One item the resident is asked (or that was prefilled), shared by every form using it."""

    path: str
    slot: Slot  # the first slot that uses it: its type and label lead
    uses: list[tuple[str, str]] = field(default_factory=list)  # (template id, ref)

    @property
    def label(self) -> Text:
        return self.slot.spec.label


def questions(
    templates: list[Template], record: SessionRecord, held: Held | None = None
) -> list[Question]:
    by_path: dict[str, Question] = {}
    for template in templates:
        for slot in slots(template, record, held):
            q = by_path.setdefault(slot.path.text, Question(slot.path.text, slot))
            q.uses.append((template.id, slot.ref))
    return list(by_path.values())
